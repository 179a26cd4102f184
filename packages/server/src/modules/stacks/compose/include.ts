import * as path from 'node:path';
import { DotenvError, parseDotenv } from './dotenv.js';
import type { Lookup } from './interpolate.js';
import { isMap } from './merge.js';
import { issueAt } from './paths.js';
import { asText, omit, type ComposeDocument, type Json, type JsonMap } from './yaml-load.js';
import { relativeName, type FileContext } from './compose-files.js';

/** Reads a set of files as one project (the caller's loader, passed in to keep files acyclic). */
export type LoadFileSet = (
  files: string[],
  projectDir: string,
  lookup: Lookup,
) => Promise<JsonMap | null>;

const SECTIONS = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;

const asList = (value: Json | undefined): string[] =>
  value === undefined || value === null
    ? []
    : Array.isArray(value)
      ? value.map(String)
      : [asText(value)];

/**
 * A file's `include` entries loaded as projects of their own (their own project directory and
 * env files for interpolation) and their resources added to the file's; a service (or a
 * different resource) defined both by an included project and locally is an error.
 */
export async function applyIncludes(
  ctx: FileContext,
  doc: ComposeDocument,
  projectDir: string,
  lookup: Lookup,
  loadFileSet: LoadFileSet,
): Promise<JsonMap | null> {
  const entries = Array.isArray(doc.value.include) ? doc.value.include : [];
  const out: JsonMap = omit(doc.value, 'include');
  let ok = true;
  for (const [i, entry] of entries.entries()) {
    const at = `include[${i}]`;
    const spec = isMap(entry) ? entry : { path: entry };
    const files = asList(spec.path).map((p) => path.resolve(projectDir, p));
    const first = files[0];
    if (!first) continue;
    const includeDir =
      typeof spec.project_directory === 'string'
        ? path.resolve(projectDir, spec.project_directory)
        : path.dirname(first);
    const envFiles =
      spec.env_file === undefined
        ? [path.join(includeDir, '.env')]
        : asList(spec.env_file).map((p) => path.resolve(projectDir, p));
    const vars: Record<string, string> = {};
    for (const envFile of envFiles) {
      const text = await ctx.read(envFile);
      if (text === null) {
        if (spec.env_file !== undefined) {
          ctx.issues.push(
            issueAt(doc, doc.file, at, `env_file ${relativeName(ctx, envFile)} does not exist`),
          );
          ok = false;
        }
        continue;
      }
      try {
        Object.assign(vars, parseDotenv(text, lookup));
      } catch (error) {
        if (!(error instanceof DotenvError)) throw error;
        ctx.issues.push({
          file: relativeName(ctx, envFile),
          line: error.line,
          column: null,
          path: '',
          message: error.message,
        });
        ok = false;
      }
    }
    // Variables of the including project win; the included project's env files give defaults.
    const includeLookup: Lookup = (name) => lookup(name) ?? vars[name];
    const included = await loadFileSet(files, includeDir, includeLookup);
    if (!included) {
      ok = false;
      continue;
    }
    for (const section of SECTIONS) {
      const theirs = included[section];
      if (!isMap(theirs)) continue;
      const mine = isMap(out[section]) ? { ...out[section] } : {};
      for (const [key, value] of Object.entries(theirs)) {
        const existing = mine[key];
        if (
          existing !== undefined &&
          (section === 'services' || JSON.stringify(existing) !== JSON.stringify(value))
        ) {
          ctx.issues.push(
            issueAt(
              doc,
              doc.file,
              `${section}.${key}`,
              `${section}.${key} is defined both here and in the included ${relativeName(ctx, first)}`,
            ),
          );
          ok = false;
          continue;
        }
        mine[key] = value;
      }
      out[section] = mine;
    }
  }
  return ok ? out : null;
}
