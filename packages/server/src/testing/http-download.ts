import { createHash } from 'node:crypto';
import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { readTarEntries, type TarEntry } from '../docker/tar.js';
import type { ProxiedConnection, SocketProxy } from './socket-proxy.js';
import { waitFor } from './wait-for.js';

/**
 * Downloads over a real HTTP socket (inject buffers whole answers, so it cannot show a stream
 * that stalls, a slow reader or a client that leaves).
 */
export class HttpDownloads {
  private constructor(
    private readonly origin: string,
    private readonly headers: Record<string, string>,
  ) {}

  /** Listens on a free loopback port; `headers` (a session cookie) go with every request. */
  static async listen(app: FastifyInstance, headers: Record<string, string>) {
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    return new HttpDownloads(origin, headers);
  }

  /** Starts a download and resolves once the answer's head is in. */
  open(path: string): Promise<{ req: ClientRequest; res: IncomingMessage }> {
    return new Promise((resolve, reject) => {
      const req = get(`${this.origin}${path}`, { headers: this.headers }, (res) =>
        resolve({ req, res }),
      );
      req.on('error', reject);
    });
  }
}

export async function readAll(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Every entry of an archive by name (without a trailing slash), with its data's sha256. */
export async function archiveEntries(
  archive: AsyncIterable<Buffer>,
): Promise<Map<string, TarEntry & { sha256: string | null }>> {
  const out = new Map<string, TarEntry & { sha256: string | null }>();
  for await (const { entry, body } of readTarEntries(archive, 64 * 1024 * 1024)) {
    out.set(entry.name.replace(/\/$/, ''), { ...entry, sha256: body ? sha256(body) : null });
  }
  return out;
}

/**
 * Reads the first chunk, then stops reading, and waits until the engine's archive stream has
 * stopped too (held back by this reader), or has been read out regardless (`size` bytes down,
 * or its connection gone).
 */
export async function pauseUntilSettled(
  res: IncomingMessage,
  proxy: SocketProxy,
  size: number,
): Promise<{ first: Buffer; archive: ProxiedConnection }> {
  // Paused in the listener itself: the chunks a socket read holds after the first are emitted
  // in the same tick, and would be lost before a pause that waits for the promise.
  const first = await new Promise<Buffer>((resolve) =>
    res.once('data', (chunk: Buffer) => {
      res.pause();
      resolve(chunk);
    }),
  );
  const archive = await waitFor('the archive stream', () => latestArchive(proxy));
  await waitFor(
    'the archive stream held back or read out',
    () => archive.stalled || archive.closed || archive.bytesDown >= size,
  );
  return { first, archive };
}

/** The engine connection that carries the newest archive request (the download's own). */
export function latestArchive(proxy: SocketProxy): ProxiedConnection | undefined {
  return proxy.connections((r) => r.startsWith('GET ') && r.includes('/archive'))[0];
}
