import { rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
  lastRequest: string;
  /** Its place in `requestLines`. */
  lastIndex: number;
  bytesDown: number;
}

/** One proxied engine connection, as a test watches it. */
export interface ProxiedConnection {
  /** Its latest request's place among all requests: the highest is the newest. */
  readonly requestIndex: number;
  /** Bytes the engine has sent down it since its latest request. */
  readonly bytesDown: number;
  /** Berth has stopped reading: the proxy holds bytes it cannot hand on yet. */
  readonly stalled: boolean;
  readonly closed: boolean;
}

/**
 * A unix-socket proxy in front of the test engine. Tests point Berth at it and then cut the
 * link the way a real outage would: drop the event stream alone, or go dark entirely.
 */
export class SocketProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<Pair>();
  /** The request line of every request that passed through, in order. */
  readonly requestLines: string[] = [];

  constructor(
    readonly path: string,
    private readonly upstreamPath: string,
  ) {}

  async listen(): Promise<void> {
    rmSync(this.path, { force: true });
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, resolve);
    });
    this.server = server;
  }

  /** Stops accepting and drops every connection: the engine looks gone. */
  async goDark(): Promise<void> {
    const server = this.server;
    this.server = null;
    this.dropWhere(() => true);
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }

  /** Drops the connections whose latest request matches, e.g. the `/events` stream. Returns how many. */
  dropWhere(match: (requestHead: string) => boolean): number {
    let dropped = 0;
    for (const pair of this.pairs) {
      if (!match(pair.lastRequest)) continue;
      pair.client.destroy();
      pair.upstream.destroy();
      this.pairs.delete(pair);
      dropped += 1;
    }
    return dropped;
  }

  /** The open connections whose latest request matches, e.g. `/archive`, newest first. */
  connections(match: (requestHead: string) => boolean): ProxiedConnection[] {
    return [...this.pairs]
      .filter((pair) => match(pair.lastRequest))
      .sort((a, b) => b.lastIndex - a.lastIndex)
      .map((pair) => ({
        requestIndex: pair.lastIndex,
        get bytesDown() {
          return pair.bytesDown;
        },
        get stalled() {
          return pair.client.writableNeedDrain;
        },
        get closed() {
          return pair.client.destroyed;
        },
      }));
  }

  private accept(client: Socket): void {
    const upstream = createConnection(this.upstreamPath);
    const pair: Pair = { client, upstream, lastRequest: '', lastIndex: -1, bytesDown: 0 };
    upstream.on('data', (chunk: Buffer) => {
      pair.bytesDown += chunk.length;
    });
    this.pairs.add(pair);
    // Connections are kept alive, so remember the latest request line each one carried.
    client.on('data', (chunk: Buffer) => {
      const head = chunk.toString('latin1', 0, 200);
      if (/^[A-Z]+ \//.test(head)) {
        pair.lastRequest = head;
        pair.lastIndex = this.requestLines.length;
        pair.bytesDown = 0;
        this.requestLines.push(head.split('\r\n')[0] ?? head);
      }
    });
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
