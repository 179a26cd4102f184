// A minimal ProxyRouteDirectory for the wake tests, over the fixture Caddy's admin API: each
// route is one JSON route under @id berth-route-<id> in a plain-HTTP server of its own, its
// upstream the waker (with the waker's headers) or the target's published port. The routes
// side's real directory replaces it; the tests use only the interface.
import { request } from 'node:http';
import type { TestCaddy } from '../../../../../../../scripts/lib/test-caddy.mjs';
import type { EngineClient } from '../../../../docker/engine-client.js';
import type {
  ProxyRouteDirectory,
  ResolvedUpstream,
  StoredProxyRoute,
  WakeControl,
} from '../../proxy-ports.js';

const SERVER = 'berthwake';

export class CaddyTestDirectory implements ProxyRouteDirectory {
  private readonly routes = new Map<string, StoredProxyRoute>();
  private wake: WakeControl | null = null;
  /** Route ids in the order changed() was called for them. */
  readonly changes: string[] = [];
  /** What each route's last write to Caddy pointed it at, once Caddy had it. */
  private readonly pointing = new Map<string, 'waker' | 'target'>();
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly caddy: TestCaddy,
    private readonly engine: EngineClient,
    private readonly httpPort: number,
  ) {}

  /** A plain-HTTP server for the routes, its access log shipped to the wake side. */
  async setup(wake: WakeControl): Promise<void> {
    this.wake = wake;
    await this.admin('PUT', `/config/logging/logs/${SERVER}`, {
      writer: { output: 'net', address: wake.accessLogAddress() },
      encoder: { format: 'json' },
      include: ['http.log.access'],
    });
    await this.admin('PUT', `/config/apps/http/servers/${SERVER}`, {
      listen: [`127.0.0.1:${this.httpPort}`],
      routes: [],
      automatic_https: { disable: true },
      logs: {},
    });
  }

  /** Stores a route and tells the wake side, as the routes side does on a create. */
  async add(route: StoredProxyRoute): Promise<void> {
    this.routes.set(route.id, route);
    this.wake?.routeChanged(route.id, route);
    await this.repoint(route.id);
  }

  get(id: string): StoredProxyRoute | undefined {
    return this.routes.get(id);
  }

  list(): StoredProxyRoute[] {
    return Array.from(this.routes.values());
  }

  /** One write at a time, in order, so a route's later write is never overtaken. */
  repoint(id: string): Promise<void> {
    const write = this.writes.then(() => this.write(id));
    this.writes = write.then(
      () => undefined,
      () => undefined,
    );
    return write;
  }

  private async write(id: string): Promise<void> {
    const route = this.routes.get(id);
    if (!route || !this.wake) return;
    const waker = this.wake.pointsAtWaker(id) ? this.wake.waker(id) : null;
    const dials = waker ? [waker.dial] : (await this.resolveUpstreams(id)).map((u) => u.dial);
    const handler =
      dials.length === 0
        ? { handler: 'static_response', status_code: 502, body: 'no upstream' }
        : {
            handler: 'reverse_proxy',
            upstreams: dials.map((dial) => ({ dial })),
            ...(waker
              ? {
                  headers: {
                    request: {
                      set: Object.fromEntries(
                        Object.entries(waker.headers).map(([name, value]) => [name, [value]]),
                      ),
                    },
                  },
                }
              : {}),
          };
    const json = {
      '@id': `berth-route-${id}`,
      match: [{ host: route.hostnames }],
      handle: [handler],
      terminal: true,
    };
    const replaced = await this.admin('PATCH', `/id/berth-route-${id}`, json, [404]);
    if (replaced === 404)
      await this.admin('POST', `/config/apps/http/servers/${SERVER}/routes`, json);
    this.pointing.set(id, waker ? 'waker' : 'target');
  }

  /** What Caddy sends the route's requests to now, as far as this directory wrote it. */
  pointsAt(id: string): 'waker' | 'target' | undefined {
    return this.pointing.get(id);
  }

  /** The target's published port on loopback, per running container. */
  async resolveUpstreams(id: string): Promise<ResolvedUpstream[]> {
    const target = this.routes.get(id)?.target;
    if (!target) return [];
    const filters: Record<string, string[]> =
      target.kind === 'container'
        ? { name: [`^/${target.container ?? ''}$`] }
        : {
            label: [
              `com.docker.compose.project=${target.stack ?? ''}`,
              `com.docker.compose.service=${target.service ?? ''}`,
            ],
          };
    const containers = await this.engine.listContainers(filters);
    return containers.flatMap((c) => {
      const port = c.Ports.find((p) => p.PrivatePort === target.port && p.PublicPort);
      return c.State === 'running' && port
        ? [{ dial: `127.0.0.1:${port.PublicPort ?? 0}`, container: c.Id }]
        : [];
    });
  }

  async openRequests(): Promise<Map<string, number>> {
    const answer = await this.admin('GET', '/reverse_proxy/upstreams');
    const upstreams = JSON.parse(String(answer)) as { address: string; num_requests: number }[];
    return new Map(upstreams.map((u) => [u.address, u.num_requests]));
  }

  changed(id: string): void {
    this.changes.push(id);
  }

  /** An admin API request; a status in `tolerated` is returned instead of thrown. */
  private admin(
    method: string,
    path: string,
    body?: unknown,
    tolerated: number[] = [],
  ): Promise<string | number> {
    const socketPath = this.caddy.adminSocket;
    if (!socketPath) throw new Error('the wake tests start Caddy with its admin API on a socket');
    return new Promise((resolve, reject) => {
      const req = request(
        {
          socketPath,
          setHost: false,
          path,
          method,
          headers: { Host: '', 'Content-Type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (tolerated.includes(status)) resolve(status);
            else if (status >= 400) reject(new Error(`${method} ${path}: ${status} ${text}`));
            else resolve(text);
          });
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }
}
