import { posix } from 'node:path';
import { BLOCK, padding } from './tar-write.js';

/**
 * Tar reading and writing for the engine's archive endpoints (GET and PUT
 * /containers/{id}/archive). The engine speaks ustar with GNU and PAX extensions, so those are
 * what we read; we write plain ustar, adding a PAX header only when a name does not fit.
 */

export interface TarEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';
  size: number;
  mode: number;
  mtime: Date;
  linkTarget: string | null;
}

/** Long-name and PAX records are buffered whole; real ones are a few hundred bytes. */
const MAX_METADATA_BYTES = 1024 * 1024;
/** Type flags whose size field never announces data blocks (links, devices, dirs, fifos). */
const HEADER_ONLY_TYPES = new Set(['1', '2', '3', '4', '5', '6']);

const corruptHeader = (): Error => new Error('corrupt tar header');
const truncatedArchive = (): Error => new Error('truncated tar archive');
const corruptPax = (): Error => new Error('corrupt pax header');

/**
 * Hands out exact byte counts from a chunked source. It holds at most what was asked for plus
 * the remainder of one chunk, so skipping a large file never buffers it.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  private head = 0;
  private buffered = 0;
  ended = false;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  /** Exactly `n` bytes, or null when the source ended cleanly before the first of them. */
  async read(n: number): Promise<Buffer | null> {
    while (this.buffered < n && (await this.pull()));
    if (this.buffered < n) {
      if (this.buffered === 0) return null;
      throw truncatedArchive();
    }
    const out = Buffer.allocUnsafe(n);
    this.consume(n, out);
    return out;
  }

  async readExact(n: number): Promise<Buffer> {
    const out = await this.read(n);
    if (out === null) throw truncatedArchive();
    return out;
  }

  /** Up to `max` bytes (what is buffered, or the next chunk), or null once the source ended. */
  async readSome(max: number): Promise<Buffer | null> {
    if (this.buffered === 0 && !(await this.pull())) return null;
    const n = Math.min(max, this.buffered);
    const out = Buffer.allocUnsafe(n);
    this.consume(n, out);
    return out;
  }

  async skip(n: number): Promise<void> {
    let remaining = n;
    while (remaining > 0) {
      if (this.buffered === 0 && !(await this.pull())) throw truncatedArchive();
      const take = Math.min(remaining, this.buffered);
      this.consume(take, null);
      remaining -= take;
    }
  }

  private async pull(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    if (next.done === true) {
      this.ended = true;
      return false;
    }
    if (next.value.length > 0) {
      this.chunks.push(next.value);
      this.buffered += next.value.length;
    }
    return true;
  }

  /** Removes `n` buffered bytes from the front, copying them into `out` when given. */
  private consume(n: number, out: Buffer | null): void {
    let written = 0;
    let index = 0;
    while (written < n) {
      const chunk = this.chunks[index];
      if (chunk === undefined) throw new Error('tar byte queue underflow');
      const take = Math.min(chunk.length - this.head, n - written);
      if (out !== null) chunk.copy(out, written, this.head, this.head + take);
      written += take;
      this.head += take;
      if (this.head === chunk.length) {
        index += 1;
        this.head = 0;
      }
    }
    // One splice per call rather than a shift per chunk keeps 1-byte chunks linear.
    if (index > 0) this.chunks = this.chunks.slice(index);
    this.buffered -= n;
  }
}

/** What 'x', 'L' and 'K' headers say about the entry that follows them. */
interface Overrides {
  name?: string;
  linkTarget?: string;
  size?: number;
  mtime?: Date;
}

/** Reads a NUL-terminated string; a field that fills its whole width has no terminator. */
function readString(block: Buffer, offset: number, length: number): string {
  const end = block.indexOf(0, offset);
  const stop = end === -1 || end > offset + length ? offset + length : end;
  return block.toString('utf8', offset, stop);
}

/** Octal ASCII, or GNU base-256 (high bit of the first byte set) for values octal cannot hold. */
function readNumber(block: Buffer, offset: number, length: number): number {
  const first = block[offset] ?? 0;
  if ((first & 0x80) !== 0) {
    let big = 0n;
    for (let i = offset; i < offset + length; i += 1) big = (big << 8n) | BigInt(block[i] ?? 0);
    // 0xff leads a negative two's-complement value; otherwise 0x80 is only a marker bit.
    const value =
      first === 0xff ? BigInt.asIntN(length * 8, big) : big & ~(1n << BigInt(length * 8 - 1));
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw corruptHeader();
    }
    return Number(value);
  }
  const text = readString(block, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw corruptHeader();
  return parseInt(text, 8);
}

function verifyChecksum(block: Buffer): void {
  const stored = readNumber(block, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i += 1) {
    // The checksum is computed with its own field read as spaces.
    const byte = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += byte;
    signed += byte >= 0x80 ? byte - 0x100 : byte;
  }
  // Some historical writers summed signed chars; accepting both costs nothing.
  if (stored !== unsigned && stored !== signed) throw corruptHeader();
}

function parseHeader(block: Buffer) {
  verifyChecksum(block);
  let name = readString(block, 0, 100);
  // GNU's "ustar  \0" magic reuses the prefix bytes for atime/ctime, so only POSIX has a prefix.
  if (block.toString('latin1', 257, 263) === 'ustar\0') {
    const prefix = readString(block, 345, 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  const flag = block[156] ?? 0;
  return {
    name,
    linkName: readString(block, 157, 100),
    typeflag: flag === 0 ? '0' : String.fromCharCode(flag),
    mode: readNumber(block, 100, 8),
    size: readNumber(block, 124, 12),
    mtime: readNumber(block, 136, 12),
  };
}

function parsePax(data: Buffer, into: Overrides): void {
  let pos = 0;
  while (pos < data.length && data[pos] !== 0) {
    const space = data.indexOf(0x20, pos);
    const length = space === -1 ? NaN : Number(data.toString('latin1', pos, space));
    const end = pos + length;
    if (!Number.isInteger(length) || length <= 0 || end > data.length || data[end - 1] !== 0x0a) {
      throw corruptPax();
    }
    const record = data.toString('utf8', space + 1, end - 1);
    const eq = record.indexOf('=');
    if (eq === -1) throw corruptPax();
    const key = record.slice(0, eq);
    const value = record.slice(eq + 1);
    const number = Number(value);
    const isCount = /^\d+$/.test(value) && Number.isSafeInteger(number);
    pos = end;
    // An empty value cancels an override, which is what leaving it unset already means.
    if (value === '') continue;
    if (key === 'path') into.name = value;
    else if (key === 'linkpath') into.linkTarget = value;
    else if (key === 'size' && isCount) into.size = number;
    else if (key === 'mtime' && Number.isFinite(number)) into.mtime = new Date(number * 1000);
    else if (key === 'size' || key === 'mtime') throw corruptPax();
  }
}

function entryType(typeflag: string, name: string): TarEntry['type'] {
  switch (typeflag) {
    case '0':
    case '7':
      // Pre-POSIX archives mark directories only by the trailing slash.
      return name.endsWith('/') ? 'directory' : 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
      return 'directory';
    default:
      return 'other';
  }
}

async function readMetadata(bytes: ByteQueue, size: number): Promise<Buffer> {
  if (size > MAX_METADATA_BYTES) throw new Error('tar metadata entry too large');
  const data = await bytes.readExact(size);
  await bytes.skip(padding(size));
  return data;
}

/**
 * Streams the entries of a tar archive. A regular file's body is yielded only when
 * `maxBodyBytes` > 0 and the file fits in it; every other body is skipped as it streams past,
 * so memory stays bounded by `maxBodyBytes` plus one chunk of `stream`.
 * Reading stops at the first zero block; the rest of `stream` is released, not drained.
 */
export async function* readTarEntries(
  stream: AsyncIterable<Buffer>,
  maxBodyBytes = 0,
): AsyncGenerator<{ entry: TarEntry; body: Buffer | null }> {
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new RangeError('maxBodyBytes must be a non-negative integer');
  }
  const source = stream[Symbol.asyncIterator]();
  const bytes = new ByteQueue(source);
  try {
    for (;;) {
      const entry = await readEntryHeader(bytes);
      if (entry === null) return;
      let body: Buffer | null = null;
      if (entry.type === 'file' && maxBodyBytes > 0 && entry.size <= maxBodyBytes) {
        body = await bytes.readExact(entry.size);
        await bytes.skip(padding(entry.size));
      } else {
        await bytes.skip(entry.size + padding(entry.size));
      }
      yield { entry, body };
    }
  } finally {
    // Stop the upstream (for an HTTP response, free the socket) when we leave before its end.
    if (!bytes.ended) await source.return?.();
  }
}

/**
 * Reads the headers of the next entry (with any PAX or GNU long-name records before it) and
 * leaves `bytes` at the first byte of its data: `size` bytes, then padding to a whole block.
 * Null at the end of the archive.
 */
export async function readEntryHeader(bytes: ByteQueue): Promise<TarEntry | null> {
  const overrides: Overrides = {};
  let pendingOverrides = false;
  for (;;) {
    const block = await bytes.read(BLOCK);
    if (block === null) {
      // An archive without end blocks is tolerated, one cut after a 'x'/'L'/'K' header is not.
      if (pendingOverrides) throw truncatedArchive();
      return null;
    }
    if (block.every((byte) => byte === 0)) return null;
    const header = parseHeader(block);
    if (header.size < 0) throw corruptHeader();
    if (header.typeflag === 'x' || header.typeflag === 'L' || header.typeflag === 'K') {
      const data = await readMetadata(bytes, header.size);
      if (header.typeflag === 'x') parsePax(data, overrides);
      else if (header.typeflag === 'L') overrides.name = readString(data, 0, data.length);
      else overrides.linkTarget = readString(data, 0, data.length);
      pendingOverrides = true;
      continue;
    }
    if (header.typeflag === 'g') {
      // Global PAX defaults would need to outlive entries; nothing we browse depends on them.
      await bytes.skip(header.size + padding(header.size));
      continue;
    }
    const name = overrides.name ?? header.name;
    const type = entryType(header.typeflag, name);
    const size = HEADER_ONLY_TYPES.has(header.typeflag) ? 0 : (overrides.size ?? header.size);
    const linkTarget =
      type === 'symlink' || type === 'hardlink' ? (overrides.linkTarget ?? header.linkName) : null;
    return {
      name,
      type,
      size,
      mode: header.mode & 0o7777,
      mtime: overrides.mtime ?? new Date(header.mtime * 1000),
      linkTarget,
    };
  }
}

export { tarSingleFile } from './tar-write.js';

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
