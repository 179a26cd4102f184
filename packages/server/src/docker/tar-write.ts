import { Readable } from 'node:stream';
import { pack as tarPack, type Header, type Pack } from 'tar-stream';

/**
 * Writing tar for the engine's PUT archive and image builds, on tar-stream: plain ustar, a PAX
 * header only for a name or link target ustar cannot hold.
 */

interface EntryBase {
  /** The path inside the archive, relative ("app/main.js"); a directory may end with "/". */
  name: string;
  mode?: number;
  mtime?: Date;
  /** Owner ids in the archive; 0 (root) when not given. */
  uid?: number;
  gid?: number;
}

export type ArchiveEntry =
  | (EntryBase & { type?: 'file'; content: Buffer })
  | (EntryBase & { type: 'directory' })
  | (EntryBase & { type: 'symlink'; linkTarget: string });

function header(entry: ArchiveEntry): Header {
  const { name, mode, mtime = new Date() } = entry;
  if (name === '' || name.includes('\0')) {
    throw new Error('tar entry name must be non-empty and contain no NUL bytes');
  }
  if (mode !== undefined && (!Number.isInteger(mode) || mode < 0 || mode > 0o7777)) {
    throw new RangeError('mode must be an integer between 0 and 0o7777');
  }
  if (!Number.isFinite(mtime.getTime())) throw new RangeError('mtime must be a valid date');
  // ustar cannot hold times before 1970; clamp rather than write a negative octal field.
  const seconds = new Date(Math.max(0, Math.floor(mtime.getTime() / 1000)) * 1000);
  const common = {
    name,
    mtime: seconds,
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
    uname: '',
    gname: '',
  };
  const fields = { devmajor: 0, devminor: 0, linkname: '' };
  switch (entry.type) {
    case 'directory':
      return { ...common, ...fields, type: 'directory', size: 0, mode: mode ?? 0o755 };
    case 'symlink':
      if (entry.linkTarget === '' || entry.linkTarget.includes('\0')) {
        throw new Error('a symlink target must be non-empty and contain no NUL bytes');
      }
      return {
        ...common,
        ...fields,
        type: 'symlink',
        size: 0,
        mode: mode ?? 0o777,
        linkname: entry.linkTarget,
      };
    case 'file':
    case undefined:
      return {
        ...common,
        ...fields,
        type: 'file',
        size: entry.content.length,
        mode: mode ?? 0o644,
      };
  }
}

function addEntry(archive: Pack, entry: ArchiveEntry): Promise<void> {
  const head = header(entry);
  const content = entry.type === undefined || entry.type === 'file' ? entry.content : undefined;
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null): void => (err ? reject(err) : resolve());
    if (content === undefined) archive.entry(head, done).end(undefined);
    else archive.entry(head, content, done);
  });
}

/**
 * A tar archive of `entries`, in order, streamed as its reader asks: an entry is packed only
 * once the ones before it were read, so a large archive never sits whole in memory. A bad
 * entry (an empty name, a mode out of range) fails the stream.
 */
export function packArchive(
  entries: Iterable<ArchiveEntry> | AsyncIterable<ArchiveEntry>,
): Readable {
  const archive = tarPack();
  const write = async (): Promise<void> => {
    for await (const entry of entries) await addEntry(archive, entry);
    archive.finalize();
  };
  write().catch((err: unknown) => {
    archive.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return Readable.from(archive, { objectMode: false });
}

/** The whole archive in memory, for what is small and already in memory (a Dockerfile, one file). */
export async function tarFiles(
  entries: Iterable<ArchiveEntry> | AsyncIterable<ArchiveEntry>,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of packArchive(entries)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
