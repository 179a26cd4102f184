import { Readable } from 'node:stream';
import type { Header } from 'tar-stream';
import { TarFeed, tarError, toTarEntry, type TarEntry } from './tar.js';

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
      (err: unknown) => this.destroy(tarError(err)),
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

interface FirstEntry {
  header: Header;
  body: AsyncIterator<unknown>;
}

/** Resolves with the first entry the parser emits, null when it ends (or stops) without one. */
function firstEntry(feed: TarFeed): Promise<FirstEntry | null> {
  return new Promise((resolve, reject) => {
    feed.extract.once('entry', (header, body) => {
      // A later failure reaches the reader through the body's iterator.
      body.on('error', () => undefined);
      resolve({ header, body: body[Symbol.asyncIterator]() });
    });
    feed.extract.once('error', (err) => reject(tarError(err)));
    feed.extract.once('close', () => resolve(null));
  });
}

/**
 * Reads the first entry's header from a tar stream (GET /containers/{id}/archive) without
 * buffering what follows beyond the parser's window. Null for an empty archive (the stream is
 * then released).
 */
export async function openArchive(source: Readable): Promise<OpenedArchive | null> {
  // Every byte read is kept until the caller chooses, so archive() can send it on unchanged.
  let seen: Buffer[] | null = [];
  const feed = new TarFeed(source, (chunk) => seen?.push(chunk));
  const first = await firstEntry(feed).catch((err: unknown) => {
    source.destroy();
    throw err;
  });
  if (first === null) {
    source.destroy();
    return null;
  }
  let used = false;
  const once = (): void => {
    if (used) throw new Error('an opened archive is read once');
    used = true;
  };
  return {
    entry: toTarEntry(first.header),
    file() {
      once();
      seen = null;
      return new PulledBody(async () => {
        const step = await first.body.next();
        return step.done === true ? null : (step.value as Buffer);
      }, source);
    },
    archive() {
      once();
      const replay = seen ?? [];
      seen = null;
      feed.detach();
      const rest = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      return new PulledBody(async () => {
        const chunk = replay.shift();
        if (chunk !== undefined) return chunk;
        const step = await rest.next();
        return step.done === true ? null : step.value;
      }, source);
    },
    close() {
      source.destroy();
    },
  };
}
