import * as path from 'node:path';
import type { ComposeIssue } from '@berth/contract';
import type { ReadFile } from '../stack-ports.js';
import { interpolateTree, type Lookup } from './interpolate.js';
import { absolutizePaths } from './file-paths.js';
import { issueAt } from './paths.js';
import { validateSchema } from './schema-validate.js';
import { loadYaml, type ComposeDocument, type Json, type JsonMap } from './yaml-load.js';
import type { TagAt } from './merge.js';

/** What reading the files of one project shares: how to read, where issues go, what was read. */
export interface FileContext {
  read: ReadFile;
  /** The stack folder: issues name files relative to it. */
  workingDir: string;
  issues: ComposeIssue[];
  /** Every document read, in order, so a later step can say where a path was written. */
  docs: ComposeDocument[];
}

export const relativeName = (ctx: FileContext, file: string): string => {
  const rel = path.relative(ctx.workingDir, file);
  return rel === '' ? path.basename(file) : rel;
};

export function tagAtOf(doc: ComposeDocument): TagAt {
  return (at) => (doc.resets.has(at) ? 'reset' : doc.overrides.has(at) ? 'override' : undefined);
}

function withoutPaths(value: Json, drop: Set<string>, at = ''): Json {
  if (Array.isArray(value)) {
    return value.map((item, i) => withoutPaths(item, drop, `${at}[${i}]`));
  }
  if (value !== null && typeof value === 'object') {
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(value)) {
      const child = at === '' ? k : `${at}.${k}`;
      if (!drop.has(child)) out[k] = withoutPaths(v, drop, child);
    }
    return out;
  }
  return value;
}

/**
 * One compose file: read, parsed, interpolated, checked against the compose-spec schema, and
 * its relative paths made absolute against `projectDir`. Null (with issues recorded) when it
 * cannot be used.
 */
export async function readComposeFile(
  ctx: FileContext,
  file: string,
  projectDir: string,
  lookup: Lookup,
): Promise<ComposeDocument | null> {
  const name = relativeName(ctx, file);
  const text = await ctx.read(file);
  if (text === null) {
    ctx.issues.push({
      file: name,
      line: null,
      column: null,
      path: '',
      message: 'the file does not exist',
    });
    return null;
  }
  const loaded = loadYaml(name, text);
  if (!loaded.ok) {
    ctx.issues.push(...loaded.issues);
    return null;
  }
  const doc = loaded.doc;
  ctx.docs.push(doc);
  const problems: { path: string; message: string }[] = [];
  const value = interpolateTree(doc.value, lookup, problems) as JsonMap;
  for (const problem of problems)
    ctx.issues.push(issueAt(doc, name, problem.path, problem.message));
  if (problems.length > 0) return null;
  // `!reset` removes what it tags, so what it tags needs no schema (`build: !reset null`).
  const schemaProblems = validateSchema(withoutPaths(value, doc.resets));
  const schemaIssues = schemaProblems.map((p) => issueAt(doc, name, p.path, p.message));
  schemaIssues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  ctx.issues.push(...schemaIssues);
  if (schemaProblems.length > 0) return null;
  doc.value = absolutizePaths(value, projectDir);
  return doc;
}
