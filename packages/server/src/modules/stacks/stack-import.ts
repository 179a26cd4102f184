import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { StackFilePath, type StackFiles } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { readTarEntries, type TarEntry } from '../../docker/tar.js';
import { hasComposeFile } from './stack-catalog.js';

/** What an uploaded stack folder may hold: the stack store's limits, and a bound on the whole. */
export const IMPORT_LIMITS = {
  fileBytes: 1024 * 1024,
  files: 256,
  entries: 1024,
  totalBytes: 16 * 1024 * 1024,
};

const refused = (entry: string, message: string): AppError =>
  AppError.badRequest('archive_entry_refused', `${entry}: ${message}`, {
    issues: [{ field: 'body', message: `${entry}: ${message}` }],
  });

const tooLarge = (message: string): AppError =>
  new AppError(413, 'archive_too_large', message, { issues: [{ field: 'body', message }] });

/** Room for the archive's own headers and padding above the files' bytes. */
const RAW_OVERHEAD = 2 * 1024 * 1024;

/** The body, cut short with a 413 once it is larger than any acceptable archive. */
async function* bounded(body: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer> {
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.length;
    if (seen > max) throw tooLarge(`the archive is over ${Math.floor(max / 1024 / 1024)} MiB`);
    yield chunk;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as tar bytes: a gzip-compressed one (`.tar.gz`, by its magic bytes) is inflated. */
async function* inflated(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const chunks = body[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done === true) return;
  async function* all(): AsyncGenerator<Buffer> {
    yield first.value;
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next())
      yield next.value;
  }
  if (first.value[0] !== 0x1f || first.value[1] !== 0x8b) {
    yield* all();
    return;
  }
  const gunzip = createGunzip();
  const source = Readable.from(all());
  source.once('error', (err) => gunzip.destroy(err));
  for await (const chunk of source.pipe(gunzip)) yield chunk as Buffer;
}

/** The entry's path inside the stack folder (`./` dropped); refused when it could lead out. */
function entryPath(entry: TarEntry): string {
  const name = entry.name;
  if (name.startsWith('/')) throw refused(name, 'an absolute path; the archive must be relative');
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw refused(name, 'a path with ".." that leads out of the folder');
  return parts.join('/');
}

function checkType(entry: TarEntry): void {
  if (entry.type === 'symlink' || entry.type === 'hardlink')
    throw refused(entry.name, `a link (to ${entry.linkTarget ?? '?'}); links are not imported`);
  if (entry.type === 'other')
    throw refused(entry.name, 'a device, fifo or unknown entry; only files and folders are');
}

/** A single top folder holding every file (`tar -cf x.tar shop/`) is the stack folder itself. */
function withoutTopFolder(files: StackFiles): StackFiles {
  const paths = Object.keys(files);
  if (hasComposeFile(paths)) return files;
  const tops = new Set(paths.map((p) => p.split('/')[0]));
  const [top] = tops;
  if (tops.size !== 1 || top === undefined || paths.some((p) => !p.startsWith(`${top}/`)))
    return files;
  return Object.fromEntries(
    Object.entries(files).map(([path, text]) => [path.slice(top.length + 1), text]),
  );
}

/**
 * The files of an uploaded tar of a stack folder (or a .tar.gz), as text by path. Only regular files and
 * folders are taken; an absolute path, a `..`, a link or a device is refused naming the entry,
 * as is a file over 1 MiB or not UTF-8 text; the archive may hold 256 files, 16 MiB in all.
 */
export async function readStackArchive(
  body: AsyncIterable<Buffer>,
  limits = IMPORT_LIMITS,
): Promise<StackFiles> {
  const files: StackFiles = {};
  let entries = 0;
  let total = 0;
  try {
    for await (const { entry, body: content } of readTarEntries(
      bounded(inflated(body), limits.totalBytes + RAW_OVERHEAD),
      limits.fileBytes,
    )) {
      if (++entries > limits.entries)
        throw tooLarge(`more than ${limits.entries} entries in the archive`);
      checkType(entry);
      const path = entryPath(entry);
      if (entry.type === 'directory' || path === '') continue;
      if (!StackFilePath.safeParse(path).success)
        throw refused(entry.name, 'not a path Berth keeps in a stack folder');
      if (content === null || entry.size > limits.fileBytes)
        throw tooLarge(`${entry.name}: over ${limits.fileBytes / 1024 / 1024} MiB`);
      total += entry.size;
      if (total > limits.totalBytes)
        throw tooLarge(`the archive's files are over ${limits.totalBytes / 1024 / 1024} MiB`);
      if (Object.keys(files).length >= limits.files)
        throw tooLarge(`more than ${limits.files} files in the archive`);
      if (path in files) throw refused(entry.name, 'in the archive twice');
      try {
        files[path] = utf8.decode(content);
      } catch {
        throw refused(entry.name, 'not UTF-8 text; a stack folder holds text files');
      }
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const message = `not a readable tar archive: ${(err as Error).message}`;
    throw AppError.badRequest('archive_invalid', message, {
      issues: [{ field: 'body', message }],
    });
  }
  return withoutTopFolder(files);
}
