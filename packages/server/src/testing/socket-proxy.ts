import { rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** Which request a hold stops, and where. */
export interface HoldOptions {
  /** Hold the nth matching request (1 = the first one after the hold is set). */
  nth?: number;
  /**
   * `request` (default): the engine never sees the request while it is held. `response`: the
   * request goes through and so do the first `afterBytes` bytes of the answer (with 0, none:
   * the hold starts when the answer's first bytes arrive), then the rest waits — the engine
   * has acted and the caller is part way through reading, or has not heard back.
   */
  phase?: 'request' | 'response';
  afterBytes?: number;
}

/** A request stopped at the proxy. */
export interface Hold {
  /** Resolves with the request line once the matching request is held. */
  readonly held: Promise<string>;
  /** Lets it (and everything queued behind it on its connection) through. */
  release(): void;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  lastRequest: string;
  /** Its place in `requestLines`. */
  lastIndex: number;
  bytesDown: number;
  /** Client bytes waiting while a request is held. */
  up: Buffer[] | null;
  /** Engine bytes waiting while a response is held. */
  down: Buffer[] | null;
  /** A response being let through up to a budget before it is held. */
  responseHold: { remaining: number; fire: () => void } | null;
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

interface PendingHold {
  match: (requestLine: string) => boolean;
  nth: number;
  options: HoldOptions;
  fire: (line: string) => void;
  pair: Pair | null;
}

/**
 * A unix-socket proxy in front of the test engine. Tests point Berth at it and then cut the
 * link the way a real outage would: drop the event stream alone, or go dark entirely; or hold
 * one request (before the engine sees it, or part way through its answer) to act — kill Berth,
 * say — at that exact step.
 */
export class SocketProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<Pair>();
  private readonly holds = new Set<PendingHold>();
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

  /**
   * Holds the nth request whose line (`POST /v1.41/containers/abc/stop HTTP/1.1`, version
   * prefix included) matches. A RegExp is tested against the line without the `/v1.xx` prefix.
   */
  hold(match: RegExp | ((requestLine: string) => boolean), options: HoldOptions = {}): Hold {
    const test =
      match instanceof RegExp
        ? (line: string) => match.test(line.replace(/ \/v\d+\.\d+\//, ' /'))
        : match;
    let fire: (line: string) => void = () => undefined;
    const held = new Promise<string>((resolve) => (fire = resolve));
    const pending: PendingHold = { match: test, nth: options.nth ?? 1, options, fire, pair: null };
    this.holds.add(pending);
    return {
      held,
      release: () => {
        this.holds.delete(pending);
        const pair = pending.pair;
        if (!pair) return;
        pair.responseHold = null;
        const [up, down] = [pair.up, pair.down];
        pair.up = null;
        pair.down = null;
        if (!pair.upstream.destroyed) for (const chunk of up ?? []) pair.upstream.write(chunk);
        if (!pair.client.destroyed) for (const chunk of down ?? []) pair.client.write(chunk);
      },
    };
  }

  private onRequest(pair: Pair, line: string): void {
    for (const pending of this.holds) {
      if (pending.pair || !pending.match(line)) continue;
      pending.nth -= 1;
      if (pending.nth > 0) continue;
      pending.pair = pair;
      if (pending.options.phase === 'response') {
        pair.responseHold = {
          remaining: pending.options.afterBytes ?? 0,
          fire: () => pending.fire(line),
        };
      } else {
        pair.up = [];
        pending.fire(line);
      }
      return;
    }
  }

  private fromEngine(pair: Pair, chunk: Buffer): void {
    const hold = pair.responseHold;
    if (hold && hold.remaining <= 0) {
      pair.down = [];
      pair.responseHold = null;
      hold.fire();
    }
    if (pair.down) {
      pair.down.push(chunk);
      return;
    }
    if (!pair.client.write(chunk)) pair.upstream.pause();
    if (!hold) return;
    hold.remaining -= chunk.length;
    if (hold.remaining <= 0) {
      pair.down = [];
      pair.responseHold = null;
      hold.fire();
    }
  }

  private accept(client: Socket): void {
    const upstream = createConnection(this.upstreamPath);
    const pair: Pair = {
      client,
      upstream,
      lastRequest: '',
      lastIndex: -1,
      bytesDown: 0,
      up: null,
      down: null,
      responseHold: null,
    };
    this.pairs.add(pair);
    // Connections are kept alive, so remember the latest request line each one carried.
    client.on('data', (chunk: Buffer) => {
      const head = chunk.toString('latin1', 0, 200);
      if (/^[A-Z]+ \//.test(head)) {
        const line = head.split('\r\n')[0] ?? head;
        pair.lastRequest = head;
        pair.lastIndex = this.requestLines.length;
        pair.bytesDown = 0;
        this.requestLines.push(line);
        if (!pair.up) this.onRequest(pair, line);
      }
      if (pair.up) pair.up.push(chunk);
      else if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    // Backpressure both ways, as a real socket has: a reader that stops reading stalls the engine.
    upstream.on('data', (chunk: Buffer) => {
      pair.bytesDown += chunk.length;
      this.fromEngine(pair, chunk);
    });
    client.on('drain', () => upstream.resume());
    const close = (): void => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', close);
    upstream.on('error', close);
    client.on('close', close);
    upstream.on('close', close);
  }
}
