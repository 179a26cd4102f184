import type { ProxyTarget } from '@berth/contract';
import { errorMessage } from '../../core/errors.js';
import type { EngineContainer } from '../../docker/container-summary.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import { SwarmApi } from '../../docker/swarm-api.js';
import type { ResolvedUpstream } from './proxy-ports.js';

const COMPOSE_PROJECT = 'com.docker.compose.project';
const COMPOSE_SERVICE = 'com.docker.compose.service';

/** A target's upstreams now, or why it has none (shown as the route's not-applied reason). */
export type Resolution =
  { ok: true; upstreams: ResolvedUpstream[] } | { ok: false; reason: string };

/**
 * Where Caddy reaches a route's target, from the engine's event-synced state: a container's
 * published port on its host's address, or its own address on its network.
 */
export class ProxyUpstreams {
  constructor(private readonly hosts: EngineHosts) {}

  async resolve(target: ProxyTarget): Promise<Resolution> {
    const host = this.hosts.get(target.host);
    if (!host) return { ok: false, reason: `no host "${target.host}"` };
    if (target.kind === 'swarm-service') return this.swarmService(host, target);
    const containers =
      target.kind === 'container'
        ? host.state
            .containers()
            .filter((c) => c.name === target.container || c.id === target.container)
        : host.state
            .containers()
            .filter(
              (c) =>
                c.labels[COMPOSE_PROJECT] === target.stack &&
                c.labels[COMPOSE_SERVICE] === target.service,
            );
    const what =
      target.kind === 'container'
        ? `container "${target.container ?? ''}"`
        : `service "${target.service ?? ''}" of stack "${target.stack ?? ''}"`;
    if (containers.length === 0) return { ok: false, reason: `no ${what} on host ${host.id}` };
    const running = containers.filter((c) => c.state === 'running');
    if (running.length === 0) return { ok: false, reason: `${what} is not running` };
    const upstreams: ResolvedUpstream[] = [];
    const problems: string[] = [];
    for (const container of running) {
      const dial = dialOf(host, container, target);
      if (typeof dial === 'string') upstreams.push({ dial, container: container.name });
      else problems.push(dial.problem);
    }
    if (upstreams.length === 0) return { ok: false, reason: problems.join('; ') };
    upstreams.sort((a, b) => (a.container ?? '').localeCompare(b.container ?? ''));
    return { ok: true, upstreams };
  }

  private async swarmService(host: EngineHost, target: ProxyTarget): Promise<Resolution> {
    const name = target.swarmService ?? '';
    try {
      const service = await new SwarmApi(host.client).service(name);
      if (!service) return { ok: false, reason: `no Swarm service "${name}" on host ${host.id}` };
      const port = (service.Endpoint?.Ports ?? []).find(
        (p) => p.TargetPort === target.port && (p.Protocol ?? 'tcp') === 'tcp',
      );
      if (port?.PublishedPort === undefined) {
        return {
          ok: false,
          reason: `Swarm service "${name}" publishes no port for ${target.port}/tcp`,
        };
      }
      return {
        ok: true,
        upstreams: [
          { dial: `${hostAddress(host, target)}:${port.PublishedPort}`, container: null },
        ],
      };
    } catch (err) {
      return { ok: false, reason: `Swarm service "${name}": ${errorMessage(err)}` };
    }
  }
}

function dialOf(
  host: EngineHost,
  container: EngineContainer,
  target: ProxyTarget,
): string | { problem: string } {
  const published = container.ports.find(
    (p) => p.privatePort === target.port && p.protocol === 'tcp' && p.publicPort !== null,
  );
  if (target.via !== 'network' && published?.publicPort != null) {
    const bound = published.hostIp;
    // A port bound to one address is reached there; 0.0.0.0 / :: means the host's address.
    const address =
      bound && bound !== '0.0.0.0' && bound !== '::' && target.address === null
        ? bound
        : hostAddress(host, target);
    return `${bracketed(address)}:${published.publicPort}`;
  }
  if (target.via === 'published') {
    return { problem: `${container.name} publishes no port for ${target.port}/tcp` };
  }
  const ip = container.networks.find((n) => n.ipAddress)?.ipAddress;
  if (!ip) return { problem: `${container.name} has no address on a network` };
  return `${bracketed(ip)}:${target.port}`;
}

/** The address of a host's published ports: the target's, else the engine's own machine. */
function hostAddress(host: EngineHost, target: ProxyTarget): string {
  if (target.address !== null) return target.address;
  const endpoint = host.endpoint;
  if (endpoint.transport === 'tcp') return endpoint.host;
  if (endpoint.transport === 'ssh') return endpoint.host;
  // A local socket (and an agent, whose engine Berth cannot place): this machine.
  return '127.0.0.1';
}

function bracketed(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** Whether two resolutions send Caddy to the same places. */
export function sameUpstreams(a: ResolvedUpstream[], b: ResolvedUpstream[]): boolean {
  return a.length === b.length && a.every((u, i) => u.dial === b[i]?.dial);
}
