import { readdir, readFile, stat } from 'node:fs/promises';
import { join, normalize, relative } from 'node:path';
import dockerignore, { type Ignore } from '@balena/dockerignore';
import { dockerignorePatterns } from '@berth/contract';
import type { ArchiveEntry } from '../../../docker/tar-write.js';

// Its types declare an ES default export; at run time (CommonJS) module.exports is the factory.
const ignore = dockerignore as unknown as typeof dockerignore.default;

/** The context's `.dockerignore` read as Docker reads it (`#` comments, blank lines skipped); null when there is none. */
async function readDockerignore(
  root: string,
): Promise<{ rules: Ignore; exceptions: boolean } | null> {
  let text: string;
  try {
    text = await readFile(join(root, '.dockerignore'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const patterns = dockerignorePatterns(text);
  return {
    rules: ignore().add(patterns),
    exceptions: patterns.some((p) => p.startsWith('!')),
  };
}

/**
 * Every file of a build context that `.dockerignore` leaves in, relative, for the engine's tar:
 * Docker's own pattern rules (`*`, `**`, `!` exceptions, later lines winning). The Dockerfile
 * and `.dockerignore` are always sent, as the docker CLI sends them. An ignored folder is not
 * walked unless an exception could bring something inside it back.
 */
export async function* contextEntries(
  root: string,
  dockerfile = 'Dockerfile',
): AsyncGenerator<ArchiveEntry> {
  const ignored = await readDockerignore(root);
  const always = new Set([normalize(dockerfile), '.dockerignore']);
  const excluded = (name: string): boolean =>
    ignored !== null && !always.has(name) && ignored.rules.ignores(name);
  async function* walk(dir: string): AsyncGenerator<ArchiveEntry> {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const name = relative(root, path);
      const skip = excluded(name);
      if (entry.isDirectory()) {
        if (skip && !ignored?.exceptions) continue;
        if (!skip) yield { name: `${name}/`, type: 'directory' };
        yield* walk(path);
      } else if (entry.isFile() && !skip) {
        const info = await stat(path);
        yield { name, content: await readFile(path), mode: info.mode & 0o7777 };
      }
    }
  }
  yield* walk(root);
}
