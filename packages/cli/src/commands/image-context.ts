import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import dockerignore, { type Ignore } from '@balena/dockerignore';
import { dockerignorePatterns } from '@berth/contract';
import { pack } from 'tar-stream';
import { CliError } from '../core/errors.js';

// Its types declare an ES default export; at run time (CommonJS) module.exports is the factory.
const ignoreRules = dockerignore as unknown as typeof dockerignore.default;

/** Where a Dockerfile outside the context travels inside it, as the docker CLI does. */
const OUTSIDE_DOCKERFILE = '.berth-dockerfile';

export interface BuildContext {
  /** The Dockerfile's path inside the context. */
  dockerfile: string;
  /** Files sent (relative), in order; what `.dockerignore` left out is not among them. */
  files: string[];
  /** The context as a tar stream, to send as the request body. */
  body: () => ReadableStream;
}

async function readRules(root: string): Promise<{ rules: Ignore; exceptions: boolean } | null> {
  let text: string;
  try {
    text = await readFile(join(root, '.dockerignore'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const patterns = dockerignorePatterns(text);
  return {
    rules: ignoreRules().add(patterns),
    exceptions: patterns.some((p) => p.startsWith('!')),
  };
}

interface Entry {
  name: string;
  path: string;
  type: 'file' | 'directory' | 'symlink';
}

/**
 * A build context as the docker CLI sends it: every file of the folder less what
 * `.dockerignore` excludes (Docker's pattern rules, `!` exceptions), the Dockerfile and
 * `.dockerignore` always kept; a Dockerfile outside the folder is added under a name of its own.
 */
export async function readBuildContext(dir: string, dockerfile?: string): Promise<BuildContext> {
  const root = resolve(dir);
  const info = await lstat(root).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read the build context ${dir}: ${err.code ?? err.message}`);
  });
  if (!info.isDirectory()) throw new CliError(`the build context ${dir} is not a folder`);
  const dockerfilePath = resolve(dockerfile ?? join(root, 'Dockerfile'));
  const inside = relative(root, dockerfilePath);
  const outside = inside.startsWith('..') || inside.startsWith(sep);
  const dockerfileName = outside ? OUTSIDE_DOCKERFILE : inside.split(sep).join('/');
  const ignored = await readRules(root);
  const always = new Set([dockerfileName, '.dockerignore']);
  const excluded = (name: string): boolean =>
    ignored !== null && !always.has(name) && ignored.rules.ignores(name);
  const entries: Entry[] = [];
  async function walk(folder: string): Promise<void> {
    const list = await readdir(folder, { withFileTypes: true });
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const item of list) {
      const path = join(folder, item.name);
      const name = relative(root, path).split(sep).join('/');
      const skip = excluded(name);
      if (item.isDirectory()) {
        if (skip && !ignored?.exceptions) continue;
        if (!skip) entries.push({ name, path, type: 'directory' });
        await walk(path);
      } else if (!skip && (item.isFile() || item.isSymbolicLink()))
        entries.push({ name, path, type: item.isFile() ? 'file' : 'symlink' });
    }
  }
  await walk(root);
  if (outside) entries.push({ name: OUTSIDE_DOCKERFILE, path: dockerfilePath, type: 'file' });
  return {
    dockerfile: dockerfileName,
    files: entries.filter((e) => e.type !== 'directory').map((e) => e.name),
    body: () => tarOf(entries),
  };
}

function tarOf(entries: Entry[]): ReadableStream {
  const archive = pack();
  const write = async (): Promise<void> => {
    for (const e of entries) {
      const stats = await lstat(e.path);
      const base = { name: e.name, mode: stats.mode & 0o7777, mtime: stats.mtime };
      if (e.type === 'directory') archive.entry({ ...base, type: 'directory' });
      else if (e.type === 'symlink')
        archive.entry({ ...base, type: 'symlink', linkname: await readlink(e.path) });
      else archive.entry({ ...base, size: stats.size }, await readFile(e.path));
    }
    archive.finalize();
  };
  write().catch((err: unknown) => archive.destroy(err as Error));
  // A web stream pulling from the pack (the request body): read only as fast as it is sent.
  // (Readable.from over tar-stream's own stream class never ends on Node 20.)
  const chunks = archive[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(new Uint8Array(next.value));
    },
    cancel: () => {
      archive.destroy();
    },
  });
}
