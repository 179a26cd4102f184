import { Readable } from 'node:stream';
import { ByteQueue, readEntryHeader, type TarEntry } from './tar.js';

/**
 * A body pulled one chunk at a time from `next`, only when its reader asks for more, so a slow
 * reader holds the engine back instead of filling memory. Ending or destroying it (a client
 * that went away) destroys `source`, which closes the engine connection: an archive left open
 * keeps the engine's lock on its container, and every later call on that container waits.
 */
class PulledBody extends Readable {
  private pulling = false;

  constructor(
    private readonly next: () => Promise<Buffer | null>,
    private readonly source: Readable,
  ) {
    super();
  }

  override _read(): void {
    if (this.pulling) return;
    this.pulling = true;
    this.next().then(
      (chunk) => {
        this.pulling = false;
        this.push(chunk);
      },
      (err: unknown) => this.destroy(err instanceof Error ? err : new Error(String(err))),
    );
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.source.destroy();
    callback(err);
  }
}

/** The first entry of an archive stream, and the two ways to send on what follows it. */
export interface OpenedArchive {
  entry: TarEntry;
  /** The first entry's data (a regular file's bytes), streamed. */
  file(): Readable;
  /** The whole archive as the engine sent it, the bytes already read included. */
  archive(): Readable;
  /** Stops reading and releases the engine connection. */
  close(): void;
}

/**
 * Reads the first entry's header from a tar stream (GET /containers/{id}/archive) without
 * buffering what follows. Null for an empty archive (the stream is then released).
 */
export async function openArchive(source: Readable): Promise<OpenedArchive | null> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const seen: Buffer[] = [];
  let recording = true;
  const recorder: AsyncIterator<Buffer> = {
    next: async () => {
      const step = await iterator.next();
      if (recording && step.done !== true) seen.push(step.value);
      return step;
    },
  };
  const bytes = new ByteQueue(recorder);
  let entry: TarEntry | null;
  try {
    entry = await readEntryHeader(bytes);
  } catch (err) {
    source.destroy();
    throw err;
  }
  recording = false;
  if (entry === null) {
    source.destroy();
    return null;
  }
  const first = entry;
  let used = false;
  const once = (): void => {
    if (used) throw new Error('an opened archive is read once');
    used = true;
  };
  return {
    entry: first,
    file() {
      once();
      let remaining = first.type === 'file' ? first.size : 0;
      return new PulledBody(async () => {
        if (remaining === 0) return null;
        const chunk = await bytes.readSome(remaining);
        if (chunk === null) throw new Error('truncated tar archive');
        remaining -= chunk.length;
        return chunk;
      }, source);
    },
    archive() {
      once();
      return new PulledBody(async () => {
        const replay = seen.shift();
        if (replay !== undefined) return replay;
        const step = await iterator.next();
        return step.done === true ? null : step.value;
      }, source);
    },
    close() {
      source.destroy();
    },
  };
}
