import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { extract as tarExtract, type Extract, type Header } from 'tar-stream';

/**
 * Reading tar for the engine's archive endpoints (GET /containers/{id}/archive), on tar-stream:
 * ustar with the GNU and PAX extensions the engine writes, and pre-POSIX archives.
 */

export interface TarEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  size: number;
  mode: number;
  mtime: Date;
  linkTarget: string | null;
}

/** Type flags whose size field never announces data (links, devices, dirs, fifos). */
const HEADER_ONLY_TYPES = new Set<string>([
  'link',
  'symlink',
  'character-device',
  'block-device',
  'directory',
  'fifo',
]);

/** tar-stream gives null for a type flag it does not know (GNU's 'S', 'V' and the like). */
function entryType(type: Header['type'] | null): TarEntry['type'] {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'hardlink';
    case 'character-device':
    case 'block-device':
    case 'fifo':
    case null:
      return 'other';
  }
}

/** What Berth needs of a header; a PAX mtime (sub-second, or past 2242) wins over the octal one. */
export function toTarEntry(header: Header): TarEntry {
  const type = entryType(header.type);
  // Typed as a string, but null when the header's field is empty.
  const linkname: string | null = header.linkname;
  const pax = (header.pax ?? null) as Record<string, string> | null;
  const paxMtime = pax?.mtime === undefined ? NaN : Number(pax.mtime);
  return {
    name: header.name,
    type,
    size: HEADER_ONLY_TYPES.has(header.type) ? 0 : header.size,
    mode: header.mode & 0o7777,
    mtime: Number.isFinite(paxMtime) ? new Date(paxMtime * 1000) : header.mtime,
    linkTarget: type === 'symlink' || type === 'hardlink' ? (linkname ?? '') : null,
  };
}

/** tar-stream's messages, in the words Berth has always used for a damaged archive. */
export function tarError(err: unknown): Error {
  if (!(err instanceof Error)) return new Error(String(err));
  if (/^Invalid (tar )?header/.test(err.message)) {
    return new Error('corrupt tar header', { cause: err });
  }
  if (err.message === 'Unexpected end of data' || err.message === 'truncated tar archive') {
    return new Error('truncated tar archive', { cause: err });
  }
  if (err.message === 'Header exceeds max size') {
    return new Error('tar metadata entry too large', { cause: err });
  }
  return err;
}

/**
 * Feeds a byte stream into a tar parser, holding the source back while the parser is full, so
 * a large body streams past instead of piling up. Destroying the parser (a reader that left
 * early) destroys the source, which for an engine response frees its connection; a source that
 * closes before its end fails the parser.
 */
export class TarFeed {
  // Pre-POSIX archives have no magic; the old reader accepted them, so this one does too.
  private static readonly options = { allowUnknownFormat: true, highWaterMark: 64 * 1024 };
  readonly extract: Extract = tarExtract(TarFeed.options);
  private ended = false;

  constructor(
    readonly source: Readable,
    private readonly onChunk?: (chunk: Buffer) => void,
  ) {
    source.on('data', this.onData);
    source.once('end', this.onEnd);
    source.once('error', this.onError);
    source.once('close', this.onSourceClose);
    this.extract.on('drain', this.onDrain);
    this.extract.once('close', this.onExtractClose);
  }

  /** Stops feeding, leaving the source paused and open for another reader. */
  detach(): void {
    this.source.pause();
    this.source.off('data', this.onData);
    this.source.off('end', this.onEnd);
    this.source.off('error', this.onError);
    this.source.off('close', this.onSourceClose);
    this.extract.off('drain', this.onDrain);
    this.extract.off('close', this.onExtractClose);
    this.extract.destroy();
  }

  private readonly onData = (chunk: Buffer): void => {
    this.onChunk?.(chunk);
    if (!this.extract.write(chunk)) this.source.pause();
  };

  private readonly onDrain = (): void => {
    this.source.resume();
  };

  private readonly onEnd = (): void => {
    this.ended = true;
    this.extract.end(undefined);
  };

  private readonly onError = (err: Error): void => {
    this.extract.destroy(err);
  };

  private readonly onSourceClose = (): void => {
    if (!this.ended) this.extract.destroy(new Error('truncated tar archive'));
  };

  private readonly onExtractClose = (): void => {
    this.source.destroy();
  };
}

async function readBody(body: AsyncIterable<unknown>, keep: boolean): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) if (keep) chunks.push(chunk as Buffer);
  return keep ? Buffer.concat(chunks) : null;
}

/**
 * Streams the entries of a tar archive. A regular file's body is yielded only when
 * `maxBodyBytes` > 0 and the file fits in it; every other body is dropped as it streams past,
 * so memory stays bounded by `maxBodyBytes` plus the parser's buffer. Leaving the loop early
 * destroys `stream` (for an HTTP response, frees the socket).
 */
export async function* readTarEntries(
  stream: AsyncIterable<Buffer>,
  maxBodyBytes = 0,
): AsyncGenerator<{ entry: TarEntry; body: Buffer | null }> {
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new RangeError('maxBodyBytes must be a non-negative integer');
  }
  const source = stream instanceof Readable ? stream : Readable.from(stream, { objectMode: false });
  const feed = new TarFeed(source);
  try {
    for await (const file of feed.extract) {
      const entry = toTarEntry(file.header);
      const keep = entry.type === 'file' && maxBodyBytes > 0 && entry.size <= maxBodyBytes;
      const body = await readBody(file, keep);
      yield { entry, body };
    }
  } catch (err) {
    throw tarError(err);
  } finally {
    feed.extract.destroy();
    source.destroy();
  }
}

/**
 * Canonical form of a user-given path inside a container. '..' cannot climb above '/', so the
 * result always names something under the container root; the engine resolves symlinks itself.
 */
export function normaliseContainerPath(path: string): string {
  if (path.includes('\0')) throw new Error('path must not contain NUL bytes');
  if (!path.startsWith('/')) throw new Error('path must be absolute');
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}
