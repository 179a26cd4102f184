import type { EventsMessage, ProxyRoute, ProxySettings, ProxyUpstream } from '@berth/contract';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import type { CaddyAdmin } from './caddy-admin.js';
import {
  buildCaddyRoute,
  buildTlsPolicy,
  routeCaddyfile,
  routeUrls,
  type RouteDestination,
} from './caddy-config.js';
import type { ProxyCertificates } from './proxy-certificates.js';
import type { DesiredRoute, ProxyApplier } from './proxy-applier.js';
import type {
  ProxyRouteDirectory,
  ResolvedUpstream,
  StoredProxyRoute,
  WakeControl,
} from './proxy-ports.js';
import { sameUpstreams, type ProxyUpstreams, type Resolution } from './proxy-upstreams.js';

/** Container changes on a host are gathered this long before routes are resolved again. */
const SETTLE_MS = 50;

export interface ReconcilerDeps {
  hosts: EngineHosts;
  admin: CaddyAdmin;
  applier: ProxyApplier;
  upstreams: ProxyUpstreams;
  certificates: ProxyCertificates;
  wake: WakeControl;
  logger: Logger;
}

/**
 * Berth's routes in memory and in Caddy: each route's upstreams resolved from its target's
 * engine state, written through the applier, resolved again when the target's containers
 * change, and announced on the target host's events stream. The wake side's directory.
 */
export class ProxyReconciler implements ProxyRouteDirectory {
  private readonly routes = new Map<string, StoredProxyRoute>();
  private readonly resolutions = new Map<string, Resolution>();
  private readonly viewers = new Map<string, Set<(message: EventsMessage) => void>>();
  private readonly pendingHosts = new Map<string, NodeJS.Timeout>();
  private settings: ProxySettings = { acmeEmail: null, acmeCa: null };
  private stops: (() => void)[] = [];

  constructor(private readonly deps: ReconcilerDeps) {}

  /** Loads the stored routes and starts following container changes and applied states. */
  start(routes: StoredProxyRoute[], settings: ProxySettings): void {
    this.settings = settings;
    for (const route of routes) {
      this.routes.set(route.id, route);
      this.deps.wake.routeChanged(route.id, route);
    }
    this.stops.push(
      this.deps.applier.onState((id) => this.changed(id)),
      this.deps.hosts.eachHost((host) => {
        const offChange = host.state.onChange((change) => {
          if (change.kind === 'container') this.hostChanged(host.id);
        });
        // Berth starting: routes resolved before the host's first sync are resolved again.
        const offSynced = host.state.onSynced(() => this.hostChanged(host.id));
        return () => {
          offChange();
          offSynced();
        };
      }),
    );
    // Written in the background: a Caddy that does not answer must not hold Berth's start.
    for (const route of routes) {
      this.reconcile(route.id).catch((err: unknown) =>
        this.deps.logger.warn({ route: route.id, err: errorMessage(err) }, 'route apply failed'),
      );
    }
  }

  /** Looks again at every route's certificate (daily, and after routes were written). */
  async refreshCertificates(): Promise<void> {
    const hostnames = this.list()
      .filter((r) => r.tls !== 'off' && this.deps.applier.stateOf(r.id).state === 'applied')
      .flatMap((r) => r.hostnames);
    await this.deps.certificates.refresh(hostnames, true);
  }

  stop(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
    for (const timer of this.pendingHosts.values()) clearTimeout(timer);
    this.pendingHosts.clear();
  }

  /** A route was created or changed: written to Caddy as it is now. */
  async put(route: StoredProxyRoute): Promise<void> {
    this.routes.set(route.id, route);
    this.deps.certificates.forget(route.hostnames);
    this.deps.wake.routeChanged(route.id, route);
    await this.reconcile(route.id);
    this.changed(route.id);
  }

  async drop(route: StoredProxyRoute): Promise<void> {
    this.routes.delete(route.id);
    this.resolutions.delete(route.id);
    this.deps.wake.routeChanged(route.id, null);
    await this.deps.applier.remove(route.id);
    this.send(route.target.host, {
      type: 'proxy',
      host: route.target.host,
      id: route.id,
      route: null,
    });
  }

  async updateSettings(settings: ProxySettings): Promise<void> {
    this.settings = settings;
    const automatic = Array.from(this.routes.values()).filter((r) => r.tls === 'auto');
    await Promise.all(automatic.map((r) => this.reconcile(r.id)));
  }

  /** Resolves the route's upstreams and writes what Caddy should hold. */
  async reconcile(id: string): Promise<void> {
    const route = this.routes.get(id);
    if (!route) return;
    const resolution = await this.deps.upstreams.resolve(route.target);
    this.resolutions.set(id, resolution);
    await this.deps.applier.set(id, this.desired(route, resolution));
  }

  private desired(route: StoredProxyRoute, resolution: Resolution): DesiredRoute {
    if (!route.enabled) return { kind: 'absent', state: 'disabled', reason: null };
    if (route.auth.type === 'berth') {
      return {
        kind: 'absent',
        state: 'not_applied',
        reason: 'Berth login in front of a route is not available yet: use basic auth or none',
      };
    }
    const to = this.destination(route.id, resolution);
    if (to.waker === null && to.upstreams.length === 0) {
      return {
        kind: 'absent',
        state: 'not_applied',
        reason: resolution.ok ? 'the target has no upstream' : resolution.reason,
      };
    }
    return {
      kind: 'present',
      route: buildCaddyRoute(route, to),
      tls: buildTlsPolicy(route, this.settings),
      plainHttp: route.tls === 'off',
    };
  }

  private destination(id: string, resolution: Resolution | undefined): RouteDestination {
    const waker = this.deps.wake.pointsAtWaker(id) ? this.deps.wake.waker(id) : null;
    return { upstreams: resolution?.ok ? resolution.upstreams : [], waker };
  }

  /** Routes to a host whose containers changed: resolved again, rewritten where they moved. */
  private hostChanged(hostId: string): void {
    if (this.pendingHosts.has(hostId)) return;
    const timer = setTimeout(() => {
      this.pendingHosts.delete(hostId);
      void this.reresolve(hostId);
    }, SETTLE_MS);
    timer.unref();
    this.pendingHosts.set(hostId, timer);
  }

  private async reresolve(hostId: string): Promise<void> {
    for (const route of Array.from(this.routes.values())) {
      if (route.target.host !== hostId) continue;
      try {
        const before = this.resolutions.get(route.id);
        const now = await this.deps.upstreams.resolve(route.target);
        const same =
          before !== undefined &&
          before.ok === now.ok &&
          (before.ok && now.ok ? sameUpstreams(before.upstreams, now.upstreams) : true) &&
          (before.ok || now.ok || before.reason === now.reason);
        if (same) continue;
        this.resolutions.set(route.id, now);
        await this.deps.applier.set(route.id, this.desired(route, now));
        this.changed(route.id);
      } catch (err) {
        this.deps.logger.warn({ route: route.id, err: errorMessage(err) }, 'route resolve failed');
      }
    }
  }

  /** The route as the API shows it (certificates from the cache; `open` from Caddy). */
  view(route: StoredProxyRoute, open: Map<string, number> | null = null): ProxyRoute {
    const resolution = this.resolutions.get(route.id);
    const to = this.destination(route.id, resolution);
    const upstreams: ProxyUpstream[] = (resolution?.ok ? resolution.upstreams : []).map((u) => ({
      dial: u.dial,
      container: u.container,
      activeRequests: open?.get(u.dial) ?? null,
      healthy: null,
    }));
    return {
      id: route.id,
      hostnames: route.hostnames,
      pathPrefix: route.pathPrefix,
      target: route.target,
      tls: route.tls,
      auth:
        route.auth.type === 'basic'
          ? { type: 'basic', usernames: route.auth.usernames }
          : route.auth.type === 'berth'
            ? { type: 'berth', minRole: route.auth.minRole }
            : { type: 'none' },
      headers: route.headers,
      compress: route.compress,
      wake: this.deps.wake.view(route.id),
      enabled: route.enabled,
      source: route.source,
      applied: this.deps.applier.stateOf(route.id),
      upstreams,
      certificates: route.tls === 'off' ? [] : this.deps.certificates.cached(route.hostnames),
      urls: routeUrls(route),
      cli: routeCaddyfile(route, to),
      createdAt: route.createdAt,
      updatedAt: route.updatedAt,
    };
  }

  /** The events stream's proxy messages for one host (EventsService's extra source). */
  on(hostId: string, listener: (message: EventsMessage) => void): () => void {
    let set = this.viewers.get(hostId);
    if (!set) this.viewers.set(hostId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.viewers.delete(hostId);
    };
  }

  // The wake side's directory.

  get(id: string): StoredProxyRoute | undefined {
    return this.routes.get(id);
  }

  list(): StoredProxyRoute[] {
    return Array.from(this.routes.values());
  }

  async repoint(id: string): Promise<void> {
    await this.reconcile(id);
    this.changed(id);
  }

  async resolveUpstreams(id: string): Promise<ResolvedUpstream[]> {
    const route = this.routes.get(id);
    if (!route) return [];
    const resolution = await this.deps.upstreams.resolve(route.target);
    return resolution.ok ? resolution.upstreams : [];
  }

  async openRequests(): Promise<Map<string, number>> {
    const list = await this.deps.admin.upstreams();
    return new Map(list.map((u) => [u.address, u.num_requests]));
  }

  changed(id: string): void {
    const route = this.routes.get(id);
    if (!route) return;
    this.send(route.target.host, {
      type: 'proxy',
      host: route.target.host,
      id,
      route: this.view(route),
    });
  }

  private send(hostId: string, message: EventsMessage): void {
    for (const listener of this.viewers.get(hostId) ?? []) listener(message);
  }
}
