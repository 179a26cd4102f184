import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type {
  ProxyAuthInput,
  ProxyRoute,
  ProxyRouteCreate,
  ProxyRouteSource,
  ProxyRoutesQuery,
  ProxyRouteUpdate,
  ProxySettings,
  ProxySettingsUpdate,
  ProxyState,
  ProxyTarget,
  ProxyTargetInput,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import type { CaddyAdmin } from './caddy-admin.js';
import type { ProxyApplier } from './proxy-applier.js';
import type { ProxyCertificates } from './proxy-certificates.js';
import type { StoredProxyRoute, WakeControl } from './proxy-ports.js';
import type { ProxyReconciler } from './proxy-reconciler.js';
import type { ProxyRoutesRepository } from './proxy-routes-repository.js';

const BCRYPT_COST = 10;

export interface ProxyRoutesDeps {
  repository: ProxyRoutesRepository;
  reconciler: ProxyReconciler;
  applier: ProxyApplier;
  certificates: ProxyCertificates;
  hosts: EngineHosts;
  admin: CaddyAdmin;
  wake: WakeControl;
  now: () => number;
}

type CanSee = (hostId: string) => boolean;

/** Routes through Caddy: stored, checked beyond their schema, and handed to the reconciler. */
export class ProxyRoutesService {
  private settings: ProxySettings = { acmeEmail: null, acmeCa: null };

  constructor(private readonly deps: ProxyRoutesDeps) {}

  /** Reads the stored routes and settings and writes them to Caddy. */
  async load(): Promise<void> {
    this.settings = await this.deps.repository.settings();
    this.deps.reconciler.start(await this.deps.repository.list(), this.settings);
  }

  async list(query: ProxyRoutesQuery, canSee: CanSee): Promise<ProxyRoute[]> {
    const open = await this.openRequests();
    return this.deps.reconciler
      .list()
      .filter((r) => canSee(r.target.host))
      .filter((r) => query.host === undefined || r.target.host === query.host)
      .filter((r) => query.stack === undefined || r.target.stack === query.stack)
      .map((r) => this.deps.reconciler.view(r, open))
      .filter(
        (view) =>
          query.container === undefined ||
          view.target.container === query.container ||
          view.upstreams.some((u) => u.container === query.container),
      );
  }

  async get(id: string, canSee: CanSee): Promise<ProxyRoute> {
    const route = this.require(id, canSee);
    if (route.tls !== 'off') await this.deps.certificates.refresh(route.hostnames);
    return this.deps.reconciler.view(route, await this.openRequests());
  }

  async create(input: ProxyRouteCreate): Promise<ProxyRoute> {
    const route = await this.build(randomUUID(), input, { type: 'api' });
    await this.deps.repository.save(route, null);
    await this.deps.reconciler.put(route);
    return this.deps.reconciler.view(route);
  }

  async update(id: string, input: ProxyRouteUpdate, canSee: CanSee): Promise<ProxyRoute> {
    const current = this.require(id, canSee);
    if (current.source.type === 'labels') throw declaredByLabels(current);
    const route = await this.merge(current, input);
    await this.deps.repository.save(route, null);
    await this.deps.reconciler.put(route);
    return this.deps.reconciler.view(route);
  }

  async remove(id: string, canSee: CanSee): Promise<StoredProxyRoute> {
    const route = this.require(id, canSee);
    if (route.source.type === 'labels') throw declaredByLabels(route);
    await this.deps.repository.delete(id);
    await this.deps.reconciler.drop(route);
    return route;
  }

  /** The route a label set declares (`sourceKey`), created or changed to match. */
  async declare(
    sourceKey: string,
    input: ProxyRouteCreate,
    source: ProxyRouteSource,
  ): Promise<StoredProxyRoute> {
    const existing = await this.deps.repository.bySource(sourceKey);
    const built = await this.build(existing?.id ?? randomUUID(), input, source, existing);
    const route = existing ? { ...built, createdAt: existing.createdAt } : built;
    if (existing && sameDeclaration(existing, route)) return existing;
    await this.deps.repository.save(route, sourceKey);
    await this.deps.reconciler.put(route);
    return route;
  }

  /** Label routes of a host, for the label watcher to drop those no longer declared. */
  labelRoutes(hostId: string): StoredProxyRoute[] {
    return this.deps.reconciler
      .list()
      .filter((r) => r.source.type === 'labels' && r.source.host === hostId);
  }

  async undeclare(route: StoredProxyRoute): Promise<void> {
    await this.deps.repository.delete(route.id);
    await this.deps.reconciler.drop(route);
  }

  async wake(id: string, actor: string, canSee: CanSee): Promise<ProxyRoute> {
    const route = this.requireWake(id, canSee);
    await this.deps.wake.wake(route.id, actor);
    return this.deps.reconciler.view(route);
  }

  async sleep(id: string, actor: string, canSee: CanSee): Promise<ProxyRoute> {
    const route = this.requireWake(id, canSee);
    await this.deps.wake.sleep(route.id, actor);
    return this.deps.reconciler.view(route);
  }

  /** The route a caller may see, or 404. */
  require(id: string, canSee: CanSee): StoredProxyRoute {
    const route = this.deps.reconciler.get(id);
    if (!route || !canSee(route.target.host)) {
      throw AppError.notFound('proxy_route_not_found', `No proxy route "${id}"`, { id });
    }
    return route;
  }

  async state(canSee: CanSee): Promise<ProxyState> {
    const reach = this.deps.applier.reachability();
    const routes = this.deps.reconciler.list().filter((r) => canSee(r.target.host));
    const states = routes.map((r) => this.deps.applier.stateOf(r.id).state);
    const hostnames = routes.filter((r) => r.tls !== 'off').flatMap((r) => r.hostnames);
    return {
      admin: this.deps.admin.address,
      reachable: reach.reachable,
      reason: reach.reason,
      // Caddy 2.6's admin API tells no version (no endpoint, no Server header, empty
      // go_build_info): null rather than a guess.
      version: null,
      server: reach.server,
      listen: reach.listen,
      routes: {
        applied: states.filter((s) => s === 'applied').length,
        notApplied: states.filter((s) => s === 'not_applied').length,
        total: routes.length,
      },
      certificates: reach.reachable
        ? await this.deps.certificates.refresh(hostnames)
        : this.deps.certificates.cached(hostnames),
      settings: this.settings,
      waker: this.deps.wake.wakerAddress(),
      checkedAt: reach.checkedAt,
    };
  }

  async updateSettings(changes: ProxySettingsUpdate): Promise<ProxySettings> {
    this.settings = { ...this.settings, ...changes };
    await this.deps.repository.saveSettings(this.settings);
    await this.deps.reconciler.updateSettings(this.settings);
    return this.settings;
  }

  private requireWake(id: string, canSee: CanSee): StoredProxyRoute {
    const route = this.require(id, canSee);
    if (route.wake === null) {
      throw AppError.conflict('proxy_route_without_wake', `Route "${id}" has no wake-on-demand`, {
        id,
      });
    }
    return route;
  }

  private async merge(
    current: StoredProxyRoute,
    input: ProxyRouteUpdate,
  ): Promise<StoredProxyRoute> {
    const auth = input.auth === undefined ? current.auth : await hashAuth(input.auth, current.auth);
    const next: StoredProxyRoute = {
      ...current,
      hostnames: input.hostnames ?? current.hostnames,
      pathPrefix: input.pathPrefix === undefined ? current.pathPrefix : input.pathPrefix,
      target: input.target ? this.target(input.target) : current.target,
      tls: input.tls ?? current.tls,
      auth,
      headers: input.headers ?? current.headers,
      compress: input.compress ?? current.compress,
      wake: input.wake === undefined ? current.wake : input.wake,
      enabled: input.enabled ?? current.enabled,
      updatedAt: new Date(this.deps.now()).toISOString(),
    };
    this.checkConflicts(next);
    return next;
  }

  private async build(
    id: string,
    input: ProxyRouteCreate,
    source: ProxyRouteSource,
    existing?: StoredProxyRoute,
  ): Promise<StoredProxyRoute> {
    const at = new Date(this.deps.now()).toISOString();
    const route: StoredProxyRoute = {
      id,
      hostnames: dedupe(input.hostnames),
      pathPrefix: input.pathPrefix,
      target: this.target(input.target),
      tls: input.tls,
      auth: await hashAuth(input.auth, existing?.auth),
      headers: input.headers,
      compress: input.compress,
      wake: input.wake,
      enabled: input.enabled,
      source,
      createdAt: at,
      updatedAt: at,
    };
    this.checkConflicts(route);
    return route;
  }

  private target(input: ProxyTargetInput): ProxyTarget {
    if (!this.deps.hosts.get(input.host)) {
      throw AppError.notFound('host_not_found', `No host "${input.host}" (target.host)`, {
        field: 'target.host',
        host: input.host,
      });
    }
    return {
      kind:
        input.container !== undefined
          ? 'container'
          : input.swarmService !== undefined
            ? 'swarm-service'
            : 'stack-service',
      host: input.host,
      container: input.container ?? null,
      stack: input.stack ?? null,
      service: input.service ?? null,
      swarmService: input.swarmService ?? null,
      port: input.port,
      via: input.via,
      address: input.address ?? null,
    };
  }

  /** A hostname and path routed by another Berth route is refused, naming that route. */
  private checkConflicts(route: StoredProxyRoute): void {
    for (const other of this.deps.reconciler.list()) {
      if (other.id === route.id || other.pathPrefix !== route.pathPrefix) continue;
      const shared = route.hostnames.find((h) => other.hostnames.includes(h));
      if (shared === undefined) continue;
      const path = route.pathPrefix ?? '/';
      throw AppError.conflict(
        'proxy_hostname_taken',
        `${shared}${path} is already routed by route ${other.id} (${other.hostnames.join(', ')})`,
        { field: 'hostnames', hostname: shared, route: other.id },
      );
    }
  }

  private async openRequests(): Promise<Map<string, number> | null> {
    if (!this.deps.applier.reachability().reachable) return null;
    return this.deps.reconciler.openRequests().catch(() => null);
  }
}

/** Basic-auth passwords become bcrypt hashes; a user whose password is unchanged keeps it. */
async function hashAuth(
  input: ProxyAuthInput,
  previous: StoredProxyRoute['auth'] | undefined,
): Promise<StoredProxyRoute['auth']> {
  if (input.type === 'none') return { type: 'none' };
  if (input.type === 'berth') return { type: 'berth', minRole: input.minRole };
  const hashes: Record<string, string> = {};
  for (const user of input.users) {
    const old = previous?.type === 'basic' ? previous.hashes?.[user.username] : undefined;
    hashes[user.username] =
      old !== undefined && (await bcrypt.compare(user.password, old))
        ? old
        : await bcrypt.hash(user.password, BCRYPT_COST);
  }
  return { type: 'basic', usernames: input.users.map((u) => u.username), hashes };
}

function declaredByLabels(route: StoredProxyRoute): AppError {
  const source = route.source.type === 'labels' ? route.source : null;
  const what = source?.container
    ? `container ${source.container}`
    : `service ${source?.service ?? ''} of stack ${source?.stack ?? ''}`;
  return AppError.conflict(
    'proxy_route_declared_by_labels',
    `Route ${route.id} is declared by labels on ${what} (host ${source?.host ?? ''}): change the labels`,
    { id: route.id, source: route.source },
  );
}

function sameDeclaration(a: StoredProxyRoute, b: StoredProxyRoute): boolean {
  const strip = (r: StoredProxyRoute) => ({ ...r, createdAt: '', updatedAt: '' });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

function dedupe(values: string[]): string[] {
  return Array.from(new Set(values));
}
