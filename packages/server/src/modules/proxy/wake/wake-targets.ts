// Starting, stopping and checking a wake route's target on its engine: a container, a compose
// service's replicas (its depends_on chain started first), or a Swarm service scaled to zero
// and back. No timers or route state here: the controller decides when.
import { request } from 'node:http';
import type { ProxyTarget } from '@berth/contract';
import { AppError } from '../../../core/errors.js';
import { ContainersApi } from '../../../docker/containers-api.js';
import type { EngineHosts, EngineHost } from '../../../docker/engine-hosts.js';
import type { RawContainerSummary, RawEvent } from '../../../docker/engine-types.js';
import { SwarmApi } from '../../../docker/swarm-api.js';
import {
  COMPOSE_DEPENDS_ON,
  COMPOSE_PROJECT as PROJECT_LABEL,
  COMPOSE_SERVICE as SERVICE_LABEL,
} from '../../stacks/compose-labels.js';

const SWARM_SERVICE_LABEL = 'com.docker.swarm.service.name';
/** Between readiness checks while a target starts: short, the user is waiting. */
const READY_CHECK_MS = 50;
const PROBE_TIMEOUT_MS = 1_000;

/** What stopping a target left to remember for its wake: a Swarm service's replica count. */
export interface StopResult {
  swarmReplicas: number | null;
}

/** How readiness is checked without a healthcheck: where the target answers, and as whom. */
export interface ReadyProbe {
  dials: () => Promise<string[]>;
  hostname: string;
}

export class WakeTargets {
  constructor(private readonly hosts: EngineHosts) {}

  /** True when the target runs now (any replica; a Swarm service scaled above zero). */
  async isRunning(target: ProxyTarget): Promise<boolean> {
    if (target.kind === 'swarm-service') {
      const service = await new SwarmApi(this.host(target).client).service(this.swarmName(target));
      return (service?.Spec.Mode.Replicated?.Replicas ?? 1) > 0;
    }
    const containers = await this.containers(target);
    return containers.some((c) => c.State === 'running');
  }

  /**
   * Starts the target (and a compose service's dependencies first, waiting for a dependency's
   * health where depends_on asks for service_healthy, until `deadline`, epoch ms).
   */
  async start(target: ProxyTarget, swarmReplicas: number | null, deadline: number): Promise<void> {
    const host = this.host(target);
    if (target.kind === 'swarm-service') {
      await this.scale(host, this.swarmName(target), swarmReplicas ?? 1);
      return;
    }
    if (target.kind === 'container') {
      await new ContainersApi(host.client).start(this.containerRef(target));
      return;
    }
    await this.startComposeService(
      host,
      target.stack ?? '',
      target.service ?? '',
      new Set(),
      deadline,
    );
  }

  /** Stops the target (a compose service's replicas, not its dependencies). */
  async stop(target: ProxyTarget): Promise<StopResult> {
    const host = this.host(target);
    if (target.kind === 'swarm-service') {
      const name = this.swarmName(target);
      const service = await new SwarmApi(host.client).service(name);
      if (!service) throw new AppError(404, 'not_found', `Swarm service ${name} does not exist`);
      const replicas = service.Spec.Mode.Replicated?.Replicas;
      if (replicas === undefined) {
        throw new AppError(
          409,
          'unsupported',
          `Swarm service ${name} runs in global mode: only replicated services can sleep`,
        );
      }
      await this.scale(host, name, 0);
      return { swarmReplicas: replicas };
    }
    const api = new ContainersApi(host.client);
    const running = (await this.containers(target)).filter((c) => c.State === 'running');
    await Promise.all(running.map((c) => api.stop(c.Id)));
    return { swarmReplicas: null };
  }

  /**
   * Resolves once the target is ready: every container running and healthy where it has a
   * healthcheck, and (without one) one of the probe's addresses answering HTTP (no probe: running
   * is enough, for a dependency). Throws at the deadline (epoch ms).
   */
  async waitReady(target: ProxyTarget, probe: ReadyProbe | null, deadline: number): Promise<void> {
    for (;;) {
      const waiting = await this.notReady(target, probe);
      if (waiting === null) return;
      if (Date.now() >= deadline) {
        throw new AppError(504, 'wake_timeout', `the target did not become ready: ${waiting}`);
      }
      await new Promise((resolve) => setTimeout(resolve, READY_CHECK_MS));
    }
  }

  /** True when an engine event is about one of the target's containers. */
  concerns(target: ProxyTarget, event: RawEvent): boolean {
    if (event.Type !== 'container') return false;
    const attributes = event.Actor.Attributes ?? {};
    if (target.kind === 'container') {
      const ref = this.containerRef(target);
      // A name, the full id, or an id prefix long enough not to be a name by chance.
      const idPrefix = /^[0-9a-f]{12,64}$/.test(ref) && event.Actor.ID.startsWith(ref);
      return attributes.name === ref || idPrefix;
    }
    if (target.kind === 'stack-service') {
      return (
        attributes[PROJECT_LABEL] === target.stack && attributes[SERVICE_LABEL] === target.service
      );
    }
    return attributes[SWARM_SERVICE_LABEL] === target.swarmService;
  }

  /** Why the target is not ready yet, or null when it is. */
  private async notReady(target: ProxyTarget, probe: ReadyProbe | null): Promise<string | null> {
    let healthchecked = target.kind !== 'swarm-service';
    if (target.kind !== 'swarm-service') {
      const api = new ContainersApi(this.host(target).client);
      const containers = await this.containers(target);
      if (containers.length === 0) return 'no container';
      for (const summary of containers) {
        const inspect = await api.inspect(summary.Id);
        if (!inspect.State.Running) return `${inspect.Name.slice(1)} is not running`;
        const health = inspect.State.Health?.Status;
        if (health === undefined || health === 'none') healthchecked = false;
        else if (health !== 'healthy') return `${inspect.Name.slice(1)} is ${health}`;
      }
    }
    if (healthchecked || probe === null) return null;
    const addresses = await probe.dials();
    for (const dial of addresses) if (await answers(dial, probe.hostname)) return null;
    return addresses.length === 0
      ? 'no address to reach it at'
      : `${addresses.join(', ')} does not accept connections`;
  }

  private async startComposeService(
    host: EngineHost,
    project: string,
    service: string,
    visited: Set<string>,
    deadline: number,
  ): Promise<void> {
    if (visited.has(service)) return;
    visited.add(service);
    const containers = await host.client.listContainers({
      label: [`${PROJECT_LABEL}=${project}`, `${SERVICE_LABEL}=${service}`],
    });
    if (containers.length === 0) {
      throw new AppError(
        404,
        'not_found',
        `service ${service} of stack ${project} has no container`,
      );
    }
    for (const dependency of dependenciesOf(containers)) {
      await this.startComposeService(host, project, dependency.service, visited, deadline);
      if (dependency.condition === 'service_healthy') {
        const dependencyTarget: ProxyTarget = {
          kind: 'stack-service',
          host: host.id,
          stack: project,
          service: dependency.service,
          container: null,
          swarmService: null,
          port: 0,
          via: 'auto',
          address: null,
        };
        await this.waitReady(dependencyTarget, null, deadline);
      }
    }
    const api = new ContainersApi(host.client);
    await Promise.all(containers.filter((c) => c.State !== 'running').map((c) => api.start(c.Id)));
  }

  private async scale(host: EngineHost, name: string, replicas: number): Promise<void> {
    const swarm = new SwarmApi(host.client);
    const service = await swarm.service(name);
    if (!service) throw new AppError(404, 'not_found', `Swarm service ${name} does not exist`);
    if (service.Spec.Mode.Replicated === undefined) {
      throw new AppError(409, 'unsupported', `Swarm service ${name} runs in global mode`);
    }
    await swarm.updateService(service.ID, service.Version.Index, {
      ...service.Spec,
      Mode: { Replicated: { Replicas: replicas } },
    });
  }

  private async containers(target: ProxyTarget): Promise<RawContainerSummary[]> {
    const client = this.host(target).client;
    if (target.kind === 'container') {
      const inspect = await new ContainersApi(client).find(this.containerRef(target));
      if (!inspect) return [];
      return client.listContainers({ id: [inspect.Id] });
    }
    if (target.kind === 'stack-service') {
      return client.listContainers({
        label: [
          `${PROJECT_LABEL}=${target.stack ?? ''}`,
          `${SERVICE_LABEL}=${target.service ?? ''}`,
        ],
      });
    }
    return client.listContainers({ label: [`${SWARM_SERVICE_LABEL}=${this.swarmName(target)}`] });
  }

  private host(target: ProxyTarget): EngineHost {
    const host = this.hosts.get(target.host);
    if (!host) throw new AppError(404, 'not_found', `host ${target.host} is not known`);
    return host;
  }

  private containerRef(target: ProxyTarget): string {
    return target.container ?? '';
  }

  private swarmName(target: ProxyTarget): string {
    return target.swarmService ?? '';
  }
}

/** A compose service's dependencies, from `com.docker.compose.depends_on` (`svc:condition:restart,…`). */
function dependenciesOf(
  containers: RawContainerSummary[],
): { service: string; condition: string }[] {
  const label = containers.map((c) => c.Labels?.[COMPOSE_DEPENDS_ON]).find((l) => l);
  if (!label) return [];
  return label
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [service = '', condition = 'service_started'] = entry.split(':');
      return { service, condition };
    })
    .filter((d) => d.service !== '');
}

/**
 * True when `host:port` answers HTTP (any status). A TCP connect is not enough: for a published
 * port the engine's userland proxy accepts connections whether or not anything listens behind.
 */
function answers(dial: string, hostname: string): Promise<boolean> {
  const split = dial.lastIndexOf(':');
  return new Promise((resolve) => {
    const probe = request({
      host: dial.slice(0, split).replace(/^\[|\]$/g, ''),
      port: Number(dial.slice(split + 1)),
      method: 'GET',
      path: '/',
      headers: { host: hostname, 'user-agent': 'berth-waker' },
      agent: false,
      timeout: PROBE_TIMEOUT_MS,
    });
    const done = (ok: boolean) => {
      probe.destroy();
      resolve(ok);
    };
    probe.once('response', () => done(true));
    probe.once('information', () => done(true));
    probe.once('upgrade', () => done(true));
    probe.once('error', () => done(false));
    probe.once('timeout', () => done(false));
    probe.end();
  });
}
