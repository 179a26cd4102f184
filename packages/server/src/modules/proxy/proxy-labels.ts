import { ProxyRouteCreate, type ProxyRouteSource } from '@berth/contract';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { EngineContainer } from '../../docker/container-summary.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import type { ProxyRoutesService } from './proxy-routes-service.js';

/** The labels that declare a route on a container or a compose service's containers. */
export const PROXY_LABELS = {
  host: 'io.berth.proxy.host',
  port: 'io.berth.proxy.port',
  wake: 'io.berth.proxy.wake',
  tls: 'io.berth.proxy.tls',
  path: 'io.berth.proxy.path',
} as const;

const COMPOSE_PROJECT = 'com.docker.compose.project';
const COMPOSE_SERVICE = 'com.docker.compose.service';
const SETTLE_MS = 100;

interface Declaration {
  key: string;
  source: Extract<ProxyRouteSource, { type: 'labels' }>;
  input: ProxyRouteCreate;
}

/**
 * Routes declared by labels (`io.berth.proxy.*`): one per labelled container, or one per
 * compose service whose containers carry them. Kept in step with the engine's state: a route
 * appears with its container and goes when the last container declaring it is removed.
 */
export class ProxyLabels {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private stop: (() => void) | null = null;

  constructor(
    private readonly hosts: EngineHosts,
    private readonly routes: ProxyRoutesService,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stop = this.hosts.eachHost((host) => {
      const offChange = host.state.onChange((change) => {
        if (change.kind === 'container') this.schedule(host);
      });
      const offSynced = host.state.onSynced(() => this.schedule(host));
      this.schedule(host);
      return () => {
        offChange();
        offSynced();
      };
    });
  }

  close(): void {
    this.stop?.();
    this.stop = null;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  /** Resolves once the host's label routes match its containers now (tests await it). */
  async sync(hostId: string): Promise<void> {
    const host = this.hosts.get(hostId);
    if (!host) return;
    const before = this.running.get(hostId) ?? Promise.resolve();
    const run = before.then(() => this.reconcile(host));
    this.running.set(hostId, run);
    await run;
  }

  private schedule(host: EngineHost): void {
    if (this.pending.has(host.id)) return;
    const timer = setTimeout(() => {
      this.pending.delete(host.id);
      this.sync(host.id).catch((err: unknown) =>
        this.logger.warn({ host: host.id, err: errorMessage(err) }, 'proxy labels sync failed'),
      );
    }, SETTLE_MS);
    timer.unref();
    this.pending.set(host.id, timer);
  }

  private async reconcile(host: EngineHost): Promise<void> {
    // An unreachable engine lists nothing: its routes are not dropped for that.
    if (!host.state.status.reachable) return;
    const declared = declarations(host.id, host.state.containers(), this.logger);
    const keys = new Set(declared.map((d) => d.key));
    for (const declaration of declared) {
      try {
        await this.routes.declare(declaration.key, declaration.input, declaration.source);
      } catch (err) {
        this.logger.warn(
          { route: declaration.key, err: errorMessage(err) },
          'a route declared by labels was refused',
        );
      }
    }
    for (const route of this.routes.labelRoutes(host.id)) {
      if (!keys.has(sourceKeyOf(route.source))) await this.routes.undeclare(route);
    }
  }
}

function sourceKeyOf(source: ProxyRouteSource): string {
  if (source.type !== 'labels') return '';
  return source.container !== null
    ? `${source.host}/container/${source.container}`
    : `${source.host}/service/${source.stack ?? ''}/${source.service ?? ''}`;
}

/** Every route the containers' labels declare (a compose service's containers declare one). */
export function declarations(
  hostId: string,
  containers: EngineContainer[],
  logger: Logger,
): Declaration[] {
  const byKey = new Map<string, Declaration>();
  for (const container of containers) {
    const labels = container.labels;
    const hostLabel = labels[PROXY_LABELS.host];
    if (hostLabel === undefined) continue;
    const stack = labels[COMPOSE_PROJECT];
    const service = labels[COMPOSE_SERVICE];
    const source: Declaration['source'] =
      stack !== undefined && service !== undefined
        ? { type: 'labels', host: hostId, container: null, stack, service }
        : { type: 'labels', host: hostId, container: container.name, stack: null, service: null };
    const key = sourceKeyOf(source);
    if (byKey.has(key)) continue;
    const parsed = ProxyRouteCreate.safeParse({
      hostnames: hostLabel
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
      pathPrefix: labels[PROXY_LABELS.path] ?? null,
      tls: labels[PROXY_LABELS.tls],
      wake:
        labels[PROXY_LABELS.wake] === undefined
          ? null
          : { idleMinutes: Number(labels[PROXY_LABELS.wake]) },
      target: {
        host: hostId,
        ...(source.container !== null ? { container: source.container } : { stack, service }),
        port: Number(labels[PROXY_LABELS.port] ?? 'missing'),
      },
    });
    if (!parsed.success) {
      logger.warn(
        {
          container: container.name,
          problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
        },
        'io.berth.proxy labels that declare no route',
      );
      continue;
    }
    byKey.set(key, { key, source, input: parsed.data });
  }
  return Array.from(byKey.values());
}
