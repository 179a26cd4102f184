// The waker: where Caddy sends a wake route's requests while its target sleeps or starts.
// Only Caddy's requests are served (it sets the route's id and this process's secret as
// headers); a browser gets a page that reloads itself, an API client is held until the target
// is ready and then proxied to it, so its first request gets the target's own answer.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { AppError, errorMessage } from '../../../core/errors.js';
import { startingPage } from './starting-page.js';

export const WAKE_ROUTE_HEADER = 'x-berth-wake-route';
export const WAKE_SECRET_HEADER = 'x-berth-wake-secret';
/** Seconds a browser waits before it asks again (the page's refresh, the Retry-After). */
const RETRY_SECONDS = 2;
/** Not forwarded to the target: this hop's own, or the waker's. */
const HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  WAKE_ROUTE_HEADER,
  WAKE_SECRET_HEADER,
]);

/** What the waker asks of the controller about a route. */
export interface WakerBackend {
  /** The route's hostnames while it is a wake route; null for any other id. */
  hostnames(routeId: string): string[] | null;
  /** True once the target answers and the route points at it. */
  isAwake(routeId: string): boolean;
  /** Starts the target once for every request that asks; resolves when it is ready. */
  wakeForRequest(routeId: string): Promise<void>;
  /** How long a request may be held while the target starts. */
  startTimeoutMs(routeId: string): number;
  /** Where the target answers now (host:port), for a held request. */
  upstream(routeId: string): Promise<string | null>;
}

export class WakerServer {
  private readonly secret = randomBytes(32).toString('base64url');
  private server: Server | null = null;

  constructor(
    private readonly backend: WakerBackend,
    private readonly logger: Logger,
  ) {}

  async listen(host: string, port: number): Promise<void> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => this.failed(res, err));
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
      this.upgrade(req, socket).catch((err: unknown) => {
        this.logger.warn({ err: errorMessage(err) }, 'waker: upgrade request failed');
        socket.destroy();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** host:port as bound; null before listen(). */
  boundAddress(): string | null {
    const address = this.server?.address();
    if (!address || typeof address === 'string') return null;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `${host}:${address.port}`;
  }

  /** The headers Caddy sets on a route's requests to the waker. */
  headersFor(routeId: string): Record<string, string> {
    return { [WAKE_ROUTE_HEADER]: routeId, [WAKE_SECRET_HEADER]: this.secret };
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The route a request is for, when Caddy sent it; null otherwise. */
  private routeOf(req: IncomingMessage): { id: string; hostnames: string[] } | null {
    const id = single(req.headers[WAKE_ROUTE_HEADER]);
    const given = Buffer.from(single(req.headers[WAKE_SECRET_HEADER]) ?? '');
    const expected = Buffer.from(this.secret);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    const hostnames = id === undefined ? null : this.backend.hostnames(id);
    return id !== undefined && hostnames ? { id, hostnames } : null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const route = this.routeOf(req);
    if (!route) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Forbidden: the waker serves only the proxy’s requests for a wake route.\n');
      return;
    }
    const woken = this.backend.wakeForRequest(route.id);
    if (isBrowser(req) && !this.backend.isAwake(route.id)) {
      // The page answers now; the start goes on without it.
      woken.catch((err: unknown) =>
        this.logger.info({ route: route.id, err: errorMessage(err) }, 'waker: wake failed'),
      );
      req.resume();
      res.writeHead(503, {
        'content-type': 'text/html; charset=utf-8',
        'retry-after': String(RETRY_SECONDS),
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(startingPage(route.hostnames, RETRY_SECONDS));
      return;
    }
    const seconds = Math.round(this.backend.startTimeoutMs(route.id) / 1000);
    if (!(await this.held(woken, route.id))) {
      plain(res, 504, `Gateway Timeout: the service did not start within ${seconds} s.\n`);
      return;
    }
    const dial = await this.backend.upstream(route.id);
    if (!dial) {
      plain(res, 502, 'Bad Gateway: the service started but has no address to reach it at.\n');
      return;
    }
    this.forward(req, res, dial);
  }

  /** True once the target is ready; false at the route's start timeout. */
  private async held(woken: Promise<void>, routeId: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.backend.startTimeoutMs(routeId));
    });
    try {
      return await Promise.race([woken.then(() => true), timeout]);
    } catch (err) {
      if (err instanceof AppError && err.code === 'wake_timeout') return false;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Streams a held request to the target and its answer back. */
  private forward(req: IncomingMessage, res: ServerResponse, dial: string): void {
    const split = dial.lastIndexOf(':');
    const upstream = httpRequest(
      {
        host: dial.slice(0, split).replace(/^\[|\]$/g, ''),
        port: Number(dial.slice(split + 1)),
        method: req.method,
        path: req.url,
        headers: forwardable(req.headers),
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => this.failed(res, err));
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  /**
   * An upgrade (a WebSocket) while the target sleeps: started, then refused with a retry, so
   * the client's next attempt goes through Caddy to the target itself.
   */
  private async upgrade(req: IncomingMessage, socket: Duplex): Promise<void> {
    const route = this.routeOf(req);
    if (!route) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const ready = await this.held(this.backend.wakeForRequest(route.id), route.id);
    const status = ready ? '503 Service Unavailable' : '504 Gateway Timeout';
    socket.end(
      `HTTP/1.1 ${status}\r\nRetry-After: 0\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
  }

  private failed(res: ServerResponse, err: unknown): void {
    this.logger.info({ err: errorMessage(err) }, 'waker: request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    plain(res, 502, `Bad Gateway: the service could not be started: ${errorMessage(err)}\n`);
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isBrowser(req: IncomingMessage): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    (req.headers.accept ?? '').includes('text/html')
  );
}

function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_HEADERS.has(name)));
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(text);
}
