import type { ProxyApplied } from '@berth/contract';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { CaddyRequestError, CaddyUnreachableError, type CaddyAdmin } from './caddy-admin.js';
import {
  ACCESS_LOGGER,
  buildAccessLogger,
  caddyRouteId,
  ROUTE_ID_PREFIX,
  tlsPolicyId,
  type CaddyRoute,
  type CaddyTlsPolicy,
} from './caddy-config.js';
import { CaddyServers, type ServerChoice } from './caddy-servers.js';

/** What Caddy should hold for one route; `absent` with the state it then shows. */
export type DesiredRoute =
  | { kind: 'present'; route: CaddyRoute; tls: CaddyTlsPolicy | null; plainHttp: boolean }
  | { kind: 'absent'; state: 'disabled' | 'not_applied'; reason: string | null };

export interface ProxyReachability {
  reachable: boolean;
  reason: string | null;
  server: string | null;
  listen: string[];
  checkedAt: string | null;
}

export interface ApplierOptions {
  admin: CaddyAdmin;
  server: string | null;
  checkEveryMs: number;
  logger: Logger;
  /** The wake side's access-log listener (null: none). */
  accessLogAddress: () => string | null;
  now?: () => number;
}

/**
 * Keeps Caddy holding what Berth wants of it, one route at a time by its @id: PUT into the
 * server's routes array, PATCH or DELETE /id/berth-route-<id>. Never the whole config, so a
 * user's own routes survive. All writes go through one queue. A check loop sees Caddy losing
 * Berth's routes (a restart) and writes them again; while the admin API is unreachable every
 * route shows not_applied with the reason, and the loop retries with a growing wait.
 */
export class ProxyApplier {
  private readonly desired = new Map<string, DesiredRoute>();
  private readonly applied = new Map<string, ProxyApplied>();
  /** The server each route was last written into (a TLS change can move it). */
  private readonly placed = new Map<string, string>();
  private readonly listeners = new Set<(id: string) => void>();
  private readonly servers: CaddyServers;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private status: ProxyReachability = {
    reachable: false,
    reason: 'not checked yet',
    server: null,
    listen: [],
    checkedAt: null,
  };
  private readonly now: () => number;

  constructor(private readonly options: ApplierOptions) {
    this.servers = new CaddyServers(options.admin, options.server);
    this.now = options.now ?? Date.now;
  }

  /** Called with a route's id whenever its applied state changes. */
  onState(listener: (id: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stateOf(id: string): ProxyApplied {
    return this.applied.get(id) ?? { state: 'pending', reason: null, at: null };
  }

  reachability(): ProxyReachability {
    return this.status;
  }

  /** Writes one route as wanted (or takes it out); resolves once Caddy has it or refused. */
  set(id: string, desired: DesiredRoute): Promise<ProxyApplied> {
    this.desired.set(id, desired);
    return this.enqueue(() => this.write(id));
  }

  /** Removes a route from Caddy and forgets it. */
  remove(id: string): Promise<void> {
    this.desired.delete(id);
    return this.enqueue(async () => {
      await this.takeOut(id).catch((err: unknown) => this.noteFailure(err));
      this.applied.delete(id);
      this.placed.delete(id);
    });
  }

  start(): void {
    if (this.timer) return;
    const loop = (): void => {
      void this.check().finally(() => {
        if (!this.timer) return;
        this.timer = setTimeout(loop, this.nextWaitMs());
        this.timer.unref();
      });
    };
    this.timer = setTimeout(loop, 0);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.queue.catch(() => undefined);
  }

  /** One check now: are Berth's @ids still in Caddy? If not (or Caddy is back), write them all. */
  check(): Promise<void> {
    return this.enqueue(async () => {
      let missing: boolean;
      try {
        const held = await this.heldIds();
        missing = Array.from(this.desired).some(
          ([id, d]) => d.kind === 'present' && !held.has(caddyRouteId(id)),
        );
        const wasDown = !this.status.reachable;
        this.markReachable();
        if (!missing && !wasDown) return;
      } catch (err) {
        this.noteFailure(err);
        return;
      }
      // Caddy restarted without Berth's routes, or came back: everything again, servers too.
      this.servers.forget();
      this.placed.clear();
      for (const id of this.desired.keys()) await this.write(id);
    });
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private nextWaitMs(): number {
    const base = this.options.checkEveryMs;
    if (this.failures === 0) return base;
    return Math.min(base * 2 ** Math.min(this.failures, 6), Math.max(base, 30_000), base * 16);
  }

  private async write(id: string): Promise<ProxyApplied> {
    const desired = this.desired.get(id);
    if (!desired) return this.stateOf(id);
    try {
      if (desired.kind === 'absent') {
        await this.takeOut(id);
        this.markReachable();
        return this.record(id, { state: desired.state, reason: desired.reason, at: this.iso() });
      }
      const servers = await this.servers.ensure(desired.plainHttp);
      const server = desired.plainHttp ? (servers.http ?? servers.https) : servers.https;
      await this.putRoute(id, desired.route, server);
      await this.putTlsPolicy(id, desired.tls);
      await this.ensureAccessLog(servers, desired.route.match[0]?.host ?? []);
      this.markReachable(servers);
      return this.record(id, { state: 'applied', reason: null, at: this.iso() });
    } catch (err) {
      this.noteFailure(err);
      return this.record(id, { state: 'not_applied', reason: reasonOf(err), at: this.iso() });
    }
  }

  private async putRoute(id: string, route: CaddyRoute, server: string): Promise<void> {
    const path = `/id/${caddyRouteId(id)}`;
    const existing = await this.options.admin.find<CaddyRoute>(path);
    if (existing !== undefined) {
      const where = this.placed.get(id);
      const here =
        where === server || (where === undefined && (await this.isIn(server, caddyRouteId(id))));
      if (here) {
        await this.options.admin.patch(path, route);
        this.placed.set(id, server);
        return;
      }
      // In the other server (its TLS changed between off and on): moved.
      await this.options.admin.delete(path);
    }
    const routesPath = `/config/apps/http/servers/${server}/routes`;
    const routes = await this.options.admin.find<Record<string, unknown>[]>(routesPath);
    if (routes === undefined) {
      await this.options.admin.put(routesPath, [route]);
    } else {
      // Berth's routes go first (a user's catch-all must not shadow them), those with a path
      // prefix before those without, so /api on a hostname wins over its plain route.
      const index = route.match[0]?.path ? 0 : leadingPathRoutes(routes);
      // PUT at an index inserts before it; past the end there is nothing to insert before.
      if (index < routes.length) await this.options.admin.put(`${routesPath}/${index}`, route);
      else await this.options.admin.post(routesPath, route);
    }
    this.placed.set(id, server);
  }

  private async isIn(server: string, routeId: string): Promise<boolean> {
    const routes = await this.options.admin.find<Record<string, unknown>[]>(
      `/config/apps/http/servers/${server}/routes`,
    );
    return (routes ?? []).some((r) => r['@id'] === routeId);
  }

  private async putTlsPolicy(id: string, policy: CaddyTlsPolicy | null): Promise<void> {
    const path = `/id/${tlsPolicyId(id)}`;
    const existing = await this.options.admin.find<unknown>(path);
    if (policy === null) {
      if (existing !== undefined) await this.options.admin.delete(path);
      return;
    }
    if (existing !== undefined) return this.options.admin.patch(path, policy);
    const admin = this.options.admin;
    if ((await admin.find<unknown>('/config/apps/tls')) === undefined) {
      return admin.put('/config/apps/tls', { automation: { policies: [policy] } });
    }
    if ((await admin.find<unknown>('/config/apps/tls/automation')) === undefined) {
      return admin.put('/config/apps/tls/automation', { policies: [policy] });
    }
    if ((await admin.find<unknown>('/config/apps/tls/automation/policies')) === undefined) {
      return admin.put('/config/apps/tls/automation/policies', [policy]);
    }
    // First: a user's catch-all policy (no subjects) must not take Berth's names.
    return admin.put('/config/apps/tls/automation/policies/0', policy);
  }

  /**
   * With a wake side listening, Caddy's access log of Berth's hostnames goes to it. The
   * listener's port is new at each start of Berth, so a logger left by an earlier run is
   * pointed at the new one.
   */
  private async ensureAccessLog(servers: ServerChoice, hostnames: string[]): Promise<void> {
    const address = this.options.accessLogAddress();
    if (address === null) return;
    const admin = this.options.admin;
    const loggerPath = `/config/logging/logs/${ACCESS_LOGGER}`;
    const existing = await admin.find<{ writer?: { address?: string } }>(loggerPath);
    if (existing?.writer?.address !== address) {
      try {
        await this.writeAccessLogger(
          loggerPath,
          buildAccessLogger(address),
          existing !== undefined,
        );
      } catch (err) {
        // Caddy 2.6 has no soft_start: write the logger without it.
        if (!(err instanceof CaddyRequestError && err.caddyMessage.includes('soft_start'))) {
          throw err;
        }
        await this.writeAccessLogger(
          loggerPath,
          buildAccessLogger(address, false),
          existing !== undefined,
        );
      }
    }
    for (const server of new Set([servers.https, servers.http].filter((s) => s !== null))) {
      const logsPath = `/config/apps/http/servers/${server}/logs`;
      const names = Object.fromEntries(hostnames.map((h) => [h, ACCESS_LOGGER]));
      const logs = await admin.find<{ logger_names?: Record<string, string> }>(logsPath);
      // A server that logged nothing before logs only Berth's hosts now, not the user's.
      if (logs === undefined) {
        await admin.put(logsPath, { logger_names: names, skip_unmapped_hosts: true });
      } else if (logs.logger_names === undefined) {
        await admin.put(`${logsPath}/logger_names`, names);
      } else await admin.patch(`${logsPath}/logger_names`, { ...logs.logger_names, ...names });
    }
  }

  /** Creates Berth's logger (and the logging objects above it Caddy lacks), or replaces it. */
  private async writeAccessLogger(
    loggerPath: string,
    logger: Record<string, unknown>,
    exists: boolean,
  ): Promise<void> {
    const admin = this.options.admin;
    if (exists) await admin.patch(loggerPath, logger);
    else if ((await admin.find<unknown>('/config/logging')) === undefined) {
      await admin.put('/config/logging', { logs: { [ACCESS_LOGGER]: logger } });
    } else if ((await admin.find<unknown>('/config/logging/logs')) === undefined) {
      await admin.put('/config/logging/logs', { [ACCESS_LOGGER]: logger });
    } else await admin.put(loggerPath, logger);
  }

  private async takeOut(id: string): Promise<void> {
    for (const path of [`/id/${caddyRouteId(id)}`, `/id/${tlsPolicyId(id)}`]) {
      if ((await this.options.admin.find<unknown>(path)) !== undefined) {
        await this.options.admin.delete(path);
      }
    }
    this.placed.delete(id);
  }

  /** Every @id under Caddy's HTTP servers' routes, in one read. */
  private async heldIds(): Promise<Set<string>> {
    const servers =
      (await this.options.admin.find<Record<string, { routes?: { '@id'?: string }[] }>>(
        '/config/apps/http/servers',
      )) ?? {};
    const ids = new Set<string>();
    for (const server of Object.values(servers)) {
      for (const route of server.routes ?? []) {
        if (route['@id']?.startsWith(ROUTE_ID_PREFIX)) ids.add(route['@id']);
      }
    }
    return ids;
  }

  private markReachable(servers?: ServerChoice): void {
    this.failures = 0;
    const choice = servers ?? this.servers.current();
    this.status = {
      reachable: true,
      reason: null,
      server: choice?.https ?? this.status.server,
      listen: choice?.listen ?? this.status.listen,
      checkedAt: this.iso(),
    };
  }

  private noteFailure(err: unknown): void {
    if (!(err instanceof CaddyUnreachableError)) {
      this.options.logger.warn({ err: errorMessage(err) }, 'a Caddy write failed');
      return;
    }
    this.failures += 1;
    const wasReachable = this.status.reachable;
    this.status = { ...this.status, reachable: false, reason: err.reason, checkedAt: this.iso() };
    if (wasReachable) this.options.logger.warn({ reason: err.reason }, 'Caddy is unreachable');
    // Every route Caddy should hold is now not applied, with the reason.
    for (const [id, desired] of this.desired) {
      if (desired.kind === 'present') {
        this.record(id, { state: 'not_applied', reason: err.message, at: this.iso() });
      }
    }
  }

  private record(id: string, state: ProxyApplied): ProxyApplied {
    const before = this.applied.get(id);
    this.applied.set(id, state);
    if (before?.state !== state.state || before.reason !== state.reason) {
      for (const listener of this.listeners) listener(id);
    }
    return state;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }
}

function leadingPathRoutes(routes: Record<string, unknown>[]): number {
  let index = 0;
  for (const route of routes) {
    const id = route['@id'];
    const match = (route.match as { path?: unknown }[] | undefined)?.[0];
    if (typeof id !== 'string' || !id.startsWith(ROUTE_ID_PREFIX) || !match?.path) break;
    index += 1;
  }
  return index;
}

function reasonOf(err: unknown): string {
  if (err instanceof CaddyRequestError || err instanceof CaddyUnreachableError) return err.message;
  return errorMessage(err);
}
