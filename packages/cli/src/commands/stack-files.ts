import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { StackCreate, StackName } from '@berth/contract';
import { parse } from 'yaml';
import { CliError, UsageError } from '../core/errors.js';

/** The names compose looks for, in its order; the server discovers the same ones. */
export const COMPOSE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
] as const;

/** What `-f`/`-p` name: a stack, and the files to send when files were given. */
export interface StackSource {
  name: string;
  /** Files by their path in the stack folder; null when only a name was given. */
  files: Record<string, string> | null;
  /** Where they came from, for messages ("compose.yaml ← ./app/compose.yaml"). */
  origins: Record<string, string>;
}

export interface StackSourceOptions {
  file?: string[];
  name?: string;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Compose's default project name: the folder's name, lower-cased, other characters dropped. */
export function projectNameOf(folder: string): string {
  return basename(resolve(folder))
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

function checkedName(name: string, from: string): string {
  const parsed = StackName.safeParse(name);
  if (!parsed.success)
    throw new UsageError(
      `"${name}" (${from}) is not a stack name: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  return parsed.data;
}

function topLevelName(text: string): string | undefined {
  try {
    const doc = parse(text) as unknown;
    if (doc && typeof doc === 'object' && 'name' in doc) {
      const name = doc.name;
      if (typeof name === 'string') return name;
    }
  } catch {
    // The server reports YAML errors with file and line; the name just falls back.
    return undefined;
  }
  return undefined;
}

/**
 * A Berth stack manifest (`stack.yaml`): `{name, files}` as stacks.create takes it. Anything
 * with `services:` is a compose file instead.
 */
function manifestOf(text: string): StackCreate | null {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return null;
  }
  if (!doc || typeof doc !== 'object' || 'services' in doc || !('files' in doc)) return null;
  const parsed = StackCreate.safeParse(doc);
  if (!parsed.success)
    throw new UsageError(
      `not a stack manifest: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/**
 * Compose files of the command line as the server's stack folder holds them: the first under
 * its own name when compose would find it (else compose.yaml), an override beside it as
 * `<stem>.override.yaml` (compose's discovery reads exactly these two), and the `.env` beside
 * the first file. The name: `-p`, else the files' `name:`, else the first file's folder.
 */
export function readStackSource(options: StackSourceOptions): StackSource {
  let paths = options.file ?? [];
  if (paths.length === 0 && options.name === undefined) {
    const found = COMPOSE_NAMES.find((n) => existsSync(n));
    if (!found)
      throw new UsageError(
        'no stack named: give -f compose.yaml or -p NAME (no compose file in this folder)',
      );
    paths = [found];
  }
  if (paths.length === 0)
    return { name: checkedName(options.name ?? '', '-p'), files: null, origins: {} };
  if (paths.length > 2)
    throw new UsageError(
      'at most two -f files: a compose file and one override (the stack folder holds compose.yaml and compose.override.yaml)',
    );
  const [first = '', override] = paths;
  const firstText = readText(first);
  const manifest = paths.length === 1 ? manifestOf(firstText) : null;
  if (manifest) {
    const name = checkedName(options.name ?? manifest.name, options.name ? '-p' : 'name:');
    const origins = Object.fromEntries(Object.keys(manifest.files).map((p) => [p, first]));
    return { name, files: manifest.files, origins };
  }
  const own = basename(first);
  const main = (COMPOSE_NAMES as readonly string[]).includes(own) ? own : 'compose.yaml';
  const files: Record<string, string> = { [main]: firstText };
  const origins: Record<string, string> = { [main]: first };
  let named = topLevelName(firstText);
  if (override !== undefined) {
    const path = `${main.replace(/\.ya?ml$/, '')}.override.yaml`;
    files[path] = readText(override);
    origins[path] = override;
    named = topLevelName(files[path]) ?? named;
  }
  const env = join(dirname(first), '.env');
  if (existsSync(env)) {
    files['.env'] = readText(env);
    origins['.env'] = env;
  }
  const name =
    options.name !== undefined
      ? checkedName(options.name, '-p')
      : named !== undefined
        ? checkedName(named, 'name: in the compose file')
        : checkedName(projectNameOf(dirname(first)), `the folder of ${first}`);
  return { name, files, origins };
}
