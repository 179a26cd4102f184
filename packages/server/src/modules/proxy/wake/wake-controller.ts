// Wake-on-demand: per wake route, one timer at its last activity plus the idle window; at the
// deadline, with no request open on its upstreams, the target stops and the route points at
// the waker; the waker's first request (or POST …/wake) starts it once, and once it is ready
// the route points at it again. Asleep or awake is read from the engine at load, so it
// survives a restart; the figures are stored.
import type { ProxyWakeInput, ProxyWakeState } from '@berth/contract';
import type { Logger } from 'pino';
import { AppError, errorMessage } from '../../../core/errors.js';
import type { EngineHosts } from '../../../docker/engine-hosts.js';
import type { RawEvent } from '../../../docker/engine-types.js';
import type { AuditSink } from '../../../http/audit-sink.js';
import { SYSTEM_ACTOR } from '../../audit/audit-service.js';
import type { ProxyRouteDirectory, StoredProxyRoute, WakeControl } from '../proxy-ports.js';
import { AccessLogListener, matchRoute, type AccessLogEntry } from './activity.js';
import { WakerServer, type WakerBackend } from './waker-server.js';
import { WakeTargets } from './wake-targets.js';
import type { WakeStats, WakeStatsRepository } from './wake-stats-repository.js';
import { afterSleep, afterWake, emptyStats, wakeView, type WakeStateName } from './wake-stats.js';

/** Who asked: a user's name, or one of Berth's own. */
export const WAKER_ACTOR = 'waker';
export const IDLE_ACTOR = 'idle';
/** After a failed idle check or sleep, the next try (or the idle window, if shorter). */
const RETRY_AFTER_FAILURE_MS = 30_000;

export interface WakeControllerOptions {
  /** Where the waker listens; port 0: a free port the system picks. */
  wakerListen: { host: string; port: number };
  /** What Caddy dials to reach the waker (host:port); null: the address it is bound to. */
  wakerAddress: string | null;
  /** Epoch ms; timestamps only, the timers are the runtime's. */
  now?: () => number;
}

type WakeRoute = StoredProxyRoute & { wake: ProxyWakeInput };

interface RouteWake {
  route: WakeRoute;
  state: WakeStateName;
  lastActivityAt: number | null;
  timer: NodeJS.Timeout | null;
  stats: WakeStats;
  /** Resolves once asleep or awake is known from the engine. */
  loaded: Promise<void>;
  waking: Promise<void> | null;
  sleeping: Promise<void> | null;
}

export class WakeController implements WakeControl {
  private readonly routes = new Map<string, RouteWake>();
  private readonly targets: WakeTargets;
  private readonly wakerServer: WakerServer;
  private readonly accessLog: AccessLogListener;
  private readonly now: () => number;
  private stopHosts: (() => void) | null = null;

  constructor(
    private readonly directory: ProxyRouteDirectory,
    private readonly hosts: EngineHosts,
    private readonly stats: WakeStatsRepository,
    private readonly audit: AuditSink,
    private readonly logger: Logger,
    private readonly options: WakeControllerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.targets = new WakeTargets(hosts);
    this.wakerServer = new WakerServer(this.wakerBackend(), logger);
    this.accessLog = new AccessLogListener((entry) => this.activity(entry), this.now, logger);
  }

  /** Binds the waker and the access-log listener and follows every host's engine events. */
  async start(): Promise<void> {
    await this.wakerServer.listen(this.options.wakerListen.host, this.options.wakerListen.port);
    await this.accessLog.listen();
    this.stopHosts = this.hosts.eachHost((host) =>
      host.state.onEngineEvent((event) => this.engineEvent(host.id, event)),
    );
  }

  async stop(): Promise<void> {
    this.stopHosts?.();
    this.stopHosts = null;
    for (const entry of this.routes.values()) this.disarm(entry);
    await Promise.all([this.wakerServer.close(), this.accessLog.close()]);
  }

  pointsAtWaker(routeId: string): boolean {
    const state = this.routes.get(routeId)?.state;
    return state === 'asleep' || state === 'waking' || state === 'sleeping';
  }

  view(routeId: string): ProxyWakeState | null {
    const entry = this.routes.get(routeId);
    if (!entry) return null;
    return wakeView(entry.route.wake, entry.state, entry.stats, entry.lastActivityAt, this.now());
  }

  routeChanged(id: string, route: StoredProxyRoute | null): void {
    const entry = this.routes.get(id);
    if (!route?.wake || !route.enabled) {
      // No wake any more: the routes side writes the route at its target (pointsAtWaker false).
      if (entry) this.disarm(entry);
      this.routes.delete(id);
      if (!route) this.stats.delete(id).catch((err: unknown) => this.failed(id, 'forget', err));
      return;
    }
    const wakeRoute: WakeRoute = { ...route, wake: route.wake };
    if (entry) {
      entry.route = wakeRoute;
      if (entry.state === 'awake') this.arm(entry);
      return;
    }
    const fresh: RouteWake = {
      route: wakeRoute,
      state: 'awake',
      lastActivityAt: null,
      timer: null,
      stats: emptyStats(id, this.now()),
      loaded: Promise.resolve(),
      waking: null,
      sleeping: null,
    };
    this.routes.set(id, fresh);
    fresh.loaded = this.load(fresh).catch((err: unknown) => this.failed(id, 'load', err));
  }

  waker(routeId: string): { dial: string; headers: Record<string, string> } | null {
    const dial = this.wakerAddress();
    return dial ? { dial, headers: this.wakerServer.headersFor(routeId) } : null;
  }

  wakerAddress(): string | null {
    return this.options.wakerAddress ?? this.wakerServer.boundAddress();
  }

  accessLogAddress(): string | null {
    return this.accessLog.address();
  }

  async wake(routeId: string, actor: string): Promise<void> {
    const entry = await this.loadedEntry(routeId);
    await this.wakeNow(entry, actor);
  }

  async sleep(routeId: string, actor: string): Promise<void> {
    const entry = await this.loadedEntry(routeId);
    if (entry.waking) await settled(entry.waking);
    if (entry.state === 'asleep') return;
    await this.sleepNow(entry, actor);
  }

  private async loadedEntry(routeId: string): Promise<RouteWake> {
    const entry = this.routes.get(routeId);
    if (!entry) {
      throw new AppError(409, 'no_wake', `route ${routeId} has no wake-on-demand (or is disabled)`);
    }
    await entry.loaded;
    return entry;
  }

  /** Asleep or awake from the target's containers now; the figures from the database. */
  private async load(entry: RouteWake): Promise<void> {
    const id = entry.route.id;
    const stored = await this.stats.get(id);
    if (stored) entry.stats = stored;
    const running = await this.targets.isRunning(entry.route.target);
    if (this.routes.get(id) !== entry) return;
    const lastActivity = stored?.last_activity_at ? Date.parse(stored.last_activity_at) : null;
    entry.lastActivityAt = lastActivity ?? this.now();
    entry.state = running ? 'awake' : 'asleep';
    if (running) this.arm(entry);
    else await this.directory.repoint(id);
    this.directory.changed(id);
  }

  private activity(log: AccessLogEntry): void {
    const candidates = Array.from(this.routes.values(), (entry) => entry.route);
    const route = matchRoute(candidates, log.host, log.path);
    const entry = route && this.routes.get(route.id);
    if (!entry) return;
    entry.lastActivityAt = Math.max(entry.lastActivityAt ?? 0, log.at);
    // The timer re-arms itself at its deadline when activity moved it: one timer, no churn.
    if (entry.state === 'awake' && entry.timer === null) this.arm(entry);
  }

  /** `atLeastMs`: after a failed check, so an unreachable Caddy or engine is not asked in a loop. */
  private arm(entry: RouteWake, atLeastMs = 0): void {
    this.disarm(entry);
    if (entry.state !== 'awake') return;
    const now = this.now();
    const idleMs = entry.route.wake.idleMinutes * 60_000;
    const due = (entry.lastActivityAt ?? now) + idleMs;
    entry.timer = setTimeout(
      () => {
        entry.timer = null;
        this.deadline(entry).catch((err: unknown) => {
          this.failed(entry.route.id, 'idle check', err);
          this.arm(entry, Math.min(idleMs, RETRY_AFTER_FAILURE_MS));
        });
      },
      Math.max(atLeastMs, due - now),
    );
    entry.timer.unref();
  }

  private disarm(entry: RouteWake): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
  }

  private async deadline(entry: RouteWake): Promise<void> {
    if (this.routes.get(entry.route.id) !== entry || entry.state !== 'awake') return;
    const now = this.now();
    const due = (entry.lastActivityAt ?? now) + entry.route.wake.idleMinutes * 60_000;
    if (due > now) return this.arm(entry);
    if (await this.hasOpenRequests(entry)) {
      // A stream or a WebSocket writes its log line only when it ends: open counts as active.
      entry.lastActivityAt = this.now();
      this.arm(entry);
      this.directory.changed(entry.route.id);
      return;
    }
    await this.sleepNow(entry, IDLE_ACTOR);
  }

  private async hasOpenRequests(entry: RouteWake): Promise<boolean> {
    const [open, upstreams] = await Promise.all([
      this.directory.openRequests(),
      this.directory.resolveUpstreams(entry.route.id),
    ]);
    return upstreams.some((upstream) => (open.get(upstream.dial) ?? 0) > 0);
  }

  private sleepNow(entry: RouteWake, by: string): Promise<void> {
    entry.sleeping ??= this.runSleep(entry, by).finally(() => {
      entry.sleeping = null;
      this.directory.changed(entry.route.id);
    });
    return entry.sleeping;
  }

  private async runSleep(entry: RouteWake, by: string): Promise<void> {
    const id = entry.route.id;
    this.disarm(entry);
    entry.state = 'sleeping';
    this.directory.changed(id);
    try {
      // The waker first: a request that comes while the target stops is held, not refused.
      await this.directory.repoint(id);
      const { swarmReplicas } = await this.targets.stop(entry.route.target);
      entry.state = 'asleep';
      entry.stats = afterSleep(entry.stats, this.now(), swarmReplicas, entry.lastActivityAt);
      await this.stats.save(entry.stats);
      await this.record('proxy.route.sleep', entry, by, 'success', {});
    } catch (err) {
      entry.state = 'awake';
      this.arm(entry);
      await this.record('proxy.route.sleep', entry, by, 'failure', { error: errorMessage(err) });
      await this.directory.repoint(id);
      throw err;
    }
  }

  private wakeNow(entry: RouteWake, by: string): Promise<void> {
    if (entry.state === 'awake' && !entry.sleeping) return Promise.resolve();

    entry.waking ??= this.runWake(entry, by).finally(() => {
      entry.waking = null;
      this.directory.changed(entry.route.id);
    });
    return entry.waking;
  }

  private async runWake(entry: RouteWake, by: string): Promise<void> {
    if (entry.sleeping) await settled(entry.sleeping);
    if (entry.state === 'awake') return;
    const id = entry.route.id;
    const started = this.now();
    const deadline = started + entry.route.wake.startTimeoutSeconds * 1000;
    entry.state = 'waking';
    this.directory.changed(id);
    try {
      const target = entry.route.target;
      await this.targets.start(target, entry.stats.swarm_replicas, deadline);
      const dials = async () => (await this.directory.resolveUpstreams(id)).map((u) => u.dial);
      const hostname = entry.route.hostnames[0] ?? 'localhost';
      await this.targets.waitReady(target, { dials, hostname }, deadline);
      const timeToHealthyMs = this.now() - started;
      entry.lastActivityAt = this.now();
      entry.stats = afterWake(entry.stats, this.now(), timeToHealthyMs, entry.lastActivityAt);
      await this.stats.save(entry.stats);
      await this.record('proxy.route.wake', entry, by, 'success', { timeToHealthyMs });
      entry.state = 'awake';
      this.arm(entry);
    } catch (err) {
      entry.state = 'asleep';
      entry.stats = { ...entry.stats, reason: errorMessage(err) };
      await this.stats.save(entry.stats);
      await this.record('proxy.route.wake', entry, by, 'failure', { error: errorMessage(err) });
      throw err;
    }
    // Awake: the route goes straight to the target from now on; the waker proxies until then.
    await this.directory.repoint(id);
  }

  /** A target stopped or started by someone else: the route follows it. */
  private engineEvent(hostId: string, event: RawEvent): void {
    if (event.Action !== 'die' && event.Action !== 'start') return;
    for (const entry of this.routes.values()) {
      const target = entry.route.target;
      if (target.host !== hostId || !this.targets.concerns(target, event)) continue;
      const expected = event.Action === 'die' ? 'awake' : 'asleep';
      if (entry.state !== expected || entry.waking || entry.sleeping) continue;
      this.follow(entry, expected).catch((err: unknown) =>
        this.failed(entry.route.id, 'follow the engine', err),
      );
    }
  }

  private async follow(entry: RouteWake, was: WakeStateName): Promise<void> {
    const running = await this.targets.isRunning(entry.route.target);
    if (entry.state !== was || entry.waking || entry.sleeping) return;
    if (running === (was === 'awake')) return;
    entry.state = running ? 'awake' : 'asleep';
    if (running) {
      entry.lastActivityAt = this.now();
      this.arm(entry);
    } else this.disarm(entry);
    await this.directory.repoint(entry.route.id);
    this.directory.changed(entry.route.id);
  }

  private async record(
    action: string,
    entry: RouteWake,
    by: string,
    outcome: 'success' | 'failure',
    details: Record<string, unknown>,
  ): Promise<void> {
    const own = by === WAKER_ACTOR || by === IDLE_ACTOR;
    await this.audit.record({
      actor: own ? SYSTEM_ACTOR : { ...SYSTEM_ACTOR, username: by },
      action,
      target: entry.route.id,
      outcome,
      details: { by, hostnames: entry.route.hostnames, ...details },
    });
  }

  private failed(routeId: string, what: string, err: unknown): void {
    this.logger.warn({ route: routeId, err: errorMessage(err) }, `proxy wake: ${what} failed`);
  }

  private wakerBackend(): WakerBackend {
    return {
      hostnames: (id) => this.routes.get(id)?.route.hostnames ?? null,
      isAwake: (id) => this.routes.get(id)?.state === 'awake',
      wakeForRequest: (id) => this.wake(id, WAKER_ACTOR),
      startTimeoutMs: (id) => (this.routes.get(id)?.route.wake.startTimeoutSeconds ?? 60) * 1000,
      upstream: async (id) => (await this.directory.resolveUpstreams(id))[0]?.dial ?? null,
    };
  }
}

/** Waits for a promise to settle; its failure is its own caller's to report. */
async function settled(promise: Promise<void>): Promise<void> {
  await promise.then(
    () => undefined,
    () => undefined,
  );
}
