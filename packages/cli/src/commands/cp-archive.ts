import {
  chmod,
  link,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { extract, pack, type Header } from 'tar-stream';
import { CliError } from '../core/errors.js';

/**
 * The local half of `berth cp`: a file or folder packed into a tar archive for the server to
 * unpack, and an archive from the server unpacked onto disk, modes and times kept (owners are
 * not: as `docker cp`, what is written belongs to whoever runs the command).
 */

/** One entry of an archive and its content (files only). */
export type ArchiveHeader = Partial<Header> & Pick<Header, 'name'>;

export interface ArchiveItem {
  header: ArchiveHeader;
  content: Buffer | null;
}

/** Reads every entry of an archive, in order, each file's content whole. */
export async function readArchive(
  source: Readable,
  onItem: (item: ArchiveItem) => Promise<void>,
): Promise<void> {
  const parser = extract();
  await new Promise<void>((resolve, reject) => {
    parser.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (chunk) => {
        chunks.push(chunk as Buffer);
      });
      body.on('error', reject);
      body.on('end', () => {
        const content = header.type === 'file' ? Buffer.concat(chunks) : null;
        onItem({ header, content }).then(() => next(), reject);
      });
    });
    parser.on('finish', resolve);
    parser.on('error', (err: Error) =>
      reject(new CliError(`the archive is not a tar archive: ${err.message}`)),
    );
    source.on('error', reject);
    source.pipe(parser);
  });
}

/** The archive of `items`, whole (uploads are sent in one body). */
export async function packArchive(items: AsyncIterable<ArchiveItem>): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk) => {
    chunks.push(chunk as Buffer);
  });
  const ended = new Promise<void>((resolve, reject) => {
    archive.on('end', resolve);
    archive.on('error', reject);
  });
  for await (const { header, content } of items) {
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error | null): void => (err ? reject(err) : resolve());
      if (content === null) archive.entry(header, Buffer.alloc(0), done);
      else archive.entry(header, content, done);
    });
  }
  archive.finalize();
  await ended;
  return Buffer.concat(chunks);
}

/**
 * The entries of a local file or folder, named from `root` ("" names a folder's contents
 * only, as `src/.`). A link is kept as a link; `followLinks` packs what it points at.
 */
export async function* localItems(
  path: string,
  root: string,
  followLinks: boolean,
): AsyncGenerator<ArchiveItem> {
  const info = followLinks ? await stat(path) : await lstat(path);
  const common = { mode: info.mode & 0o7777, mtime: info.mtime, uid: 0, gid: 0 };
  if (info.isDirectory()) {
    if (root !== '')
      yield { header: { ...common, name: `${root}/`, type: 'directory' }, content: null };
    for (const child of (await readdir(path)).sort()) {
      yield* localItems(join(path, child), root === '' ? child : `${root}/${child}`, followLinks);
    }
  } else if (info.isSymbolicLink()) {
    const header: ArchiveHeader = {
      ...common,
      name: root,
      type: 'symlink',
      linkname: await readlink(path),
    };
    yield { header, content: null };
  } else if (info.isFile()) {
    yield { header: { ...common, name: root, type: 'file' }, content: await readFile(path) };
  } else {
    throw new CliError(`${path}: not a file, folder or link; it cannot be copied`);
  }
}

/** What is at a local path (a link is followed): a folder, something else, or nothing. */
export async function localKind(path: string): Promise<'dir' | 'file' | 'missing'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'file';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
}

/** Where an archive's name is under its root entry ("" for the root), null when not under it. */
function underRoot(root: ArchiveItem, name: string): string | null {
  const rootName = root.header.name.replace(/\/+$/, '');
  const bare = name.replace(/\/+$/, '');
  if (bare === rootName) return '';
  if (!bare.startsWith(`${rootName}/`)) return null;
  const relative = posix.normalize(bare.slice(rootName.length + 1));
  return relative === '..' || relative.startsWith('../') || posix.isAbsolute(relative)
    ? null
    : relative;
}

/**
 * Unpacks a server's archive of one file or folder (its first entry) at `target`, as `docker
 * cp` does: the root entry becomes `target` itself (a folder may exist already), what is under
 * it goes under `target`; `target` may be worked out from the root entry. An entry that would
 * land outside `target` is refused. Answers the root entry and the bytes of the files written.
 */
export async function unpackAt(
  source: Readable,
  target: string | ((root: ArchiveItem) => Promise<string>),
): Promise<{ root: ArchiveItem | null; bytes: number }> {
  let root: ArchiveItem | null = null;
  let base = '';
  let bytes = 0;
  const dirs: { path: string; mode: number; mtime: Date }[] = [];
  await readArchive(source, async (item) => {
    const name = item.header.name.replace(/\/+$/, '');
    if (root === null) {
      root = item;
      base = typeof target === 'string' ? target : await target(item);
    }
    const relative = underRoot(root, name);
    if (relative === null)
      throw new CliError(`the archive's entry "${item.header.name}" leads outside ${base}`);
    const path = relative === '' ? base : join(base, relative);
    const mode = (item.header.mode ?? 0o644) & 0o7777;
    const mtime = item.header.mtime ?? new Date();
    switch (item.header.type) {
      case 'directory':
        await mkdir(path, { recursive: true });
        dirs.push({ path, mode, mtime });
        return;
      case 'symlink':
        await rm(path, { force: true });
        await symlink(item.header.linkname ?? '', path);
        return;
      case 'link': {
        const to = underRoot(root, item.header.linkname ?? '');
        if (to === null) throw new CliError(`the archive's link "${name}" leads outside ${base}`);
        await rm(path, { force: true });
        await link(to === '' ? base : join(base, to), path);
        return;
      }
      case 'file':
      case 'contiguous-file':
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, item.content ?? Buffer.alloc(0));
        await chmod(path, mode);
        await utimes(path, mtime, mtime);
        bytes += item.content?.length ?? 0;
        return;
      case 'block-device':
      case 'character-device':
      case 'fifo':
      case undefined:
        throw new CliError(
          `${basename(name)}: a ${item.header.type ?? 'special'} file is not copied`,
        );
    }
  });
  // Folders last, deepest first: writing into a folder changes its time, and a read-only
  // folder could not be written into.
  for (const dir of dirs.reverse()) {
    await chmod(dir.path, dir.mode);
    await utimes(dir.path, dir.mtime, dir.mtime);
  }
  return { root, bytes };
}
