// Activity from Caddy's access log, shipped to Berth by Caddy's `net` log writer: a TCP
// listener on loopback, one JSON object per line, each a request that ended. Open requests
// (a stream, a WebSocket) write no line until they end; the controller asks Caddy's upstream
// counts for those at each idle deadline.
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { errorMessage } from '../../../core/errors.js';
import type { StoredProxyRoute } from '../proxy-ports.js';

/** A longer line is not an access log entry Berth wrote the config for: dropped. */
const MAX_LINE_BYTES = 256 * 1024;

export interface AccessLogEntry {
  /** The request's host name, lower case, without a port. */
  host: string;
  /** The request's path, without its query. */
  path: string;
  /** When the request ended (epoch ms), from the entry's `ts`. */
  at: number;
}

/** One line of Caddy's JSON access log, or null when it is not a request entry. */
export function parseAccessLogLine(line: string, now: number): AccessLogEntry | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    // Not JSON: another encoder or a torn line. Nothing in it can be trusted as activity.
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { request, ts } = parsed as { request?: { host?: unknown; uri?: unknown }; ts?: unknown };
  if (typeof request?.host !== 'string') return null;
  const uri = typeof request.uri === 'string' ? request.uri : '/';
  const queryAt = uri.indexOf('?');
  // Caddy's default time format is Unix seconds as a float; a clock ahead of ours is capped.
  const at = typeof ts === 'number' && Number.isFinite(ts) ? Math.min(ts * 1000, now) : now;
  return {
    host: withoutPort(request.host).toLowerCase(),
    path: queryAt === -1 ? uri : uri.slice(0, queryAt),
    at,
  };
}

function withoutPort(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.lastIndexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

function hostnameMatches(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === host;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
}

/** The route Caddy matched for a request: the hostname, then the longest path prefix. */
export function matchRoute(
  routes: readonly StoredProxyRoute[],
  host: string,
  path: string,
): StoredProxyRoute | undefined {
  let best: StoredProxyRoute | undefined;
  let bestLength = -1;
  for (const route of routes) {
    if (!route.hostnames.some((pattern) => hostnameMatches(pattern, host))) continue;
    const prefix = route.pathPrefix ?? '';
    if (!path.startsWith(prefix) || prefix.length <= bestLength) continue;
    best = route;
    bestLength = prefix.length;
  }
  return best;
}

/** Listens on loopback for Caddy's access log and hands each request entry on. */
export class AccessLogListener {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly onEntry: (entry: AccessLogEntry) => void,
    private readonly now: () => number,
    private readonly logger: Logger,
  ) {}

  async listen(host = '127.0.0.1', port = 0): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) =>
      this.logger.warn({ err: errorMessage(err) }, 'access log listener'),
    );
    this.server = server;
  }

  /** `tcp/HOST:PORT`, the form of Caddy's `net` writer address; null before listen(). */
  address(): string | null {
    const address = this.server?.address();
    if (!address || typeof address === 'string') return null;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `tcp/${host}:${address.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setEncoding('utf8');
    let pending = '';
    socket.on('data', (chunk: string) => {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim() !== '') this.line(line);
        newline = pending.indexOf('\n');
      }
      if (pending.length > MAX_LINE_BYTES) pending = '';
    });
    socket.on('error', (err) => this.logger.debug({ err: errorMessage(err) }, 'access log socket'));
    socket.on('close', () => this.sockets.delete(socket));
  }

  private line(line: string): void {
    const entry = parseAccessLogLine(line, this.now());
    if (entry) this.onEntry(entry);
  }
}
