import type { AgentStatus, Host, HostInfo, HostMemory, HostSwarm } from '@berth/contract';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import type { HostHardware } from './host-hardware.js';
import { canonicalUrl } from './host-definition.js';
import { requireHost } from './require-host.js';

export interface HostsServiceDeps {
  hosts: EngineHosts;
  hardware: HostHardware;
  /** This machine's memory: only engines on it (unix socket) are described by it. */
  readLocalMemory: () => Promise<HostMemory | null>;
  /** An agent host's pairing and connection; null for other hosts. */
  agentStatus: (hostId: string) => AgentStatus | null;
  /** The host's swarm membership as last read from its engine; null until read. */
  swarmOf?: (hostId: string) => HostSwarm | null;
}

export class HostsService {
  constructor(private readonly deps: HostsServiceDeps) {}

  /** The hosts the caller may see. */
  list(visible: (hostId: string) => boolean): Host[] {
    return this.deps.hosts
      .list()
      .filter((host) => visible(host.id))
      .map((host) => this.view(host));
  }

  get(hostId: string): Host {
    return this.view(requireHost(this.deps.hosts, hostId));
  }

  /** What the API shows of a host, agent status and all. */
  view(host: EngineHost): Host {
    return {
      ...toHost(host, this.deps.agentStatus(host.id)),
      swarm: this.deps.swarmOf?.(host.id) ?? null,
    };
  }

  async info(hostId: string): Promise<HostInfo> {
    const host = requireHost(this.deps.hosts, hostId);
    const [info, hardware, memory] = await Promise.all([
      host.client.info(),
      this.deps.hardware.profile(host),
      host.socketPath !== null ? this.deps.readLocalMemory() : Promise.resolve(null),
    ]);
    // `local` learns its engine ID here (hosts added through the API know it from their test).
    host.engineId ??= info.ID;
    return {
      host: host.id,
      engine: {
        id: info.ID,
        name: info.Name,
        version: info.ServerVersion,
        apiVersion: host.state.status.apiVersion ?? host.client.negotiatedApiVersion,
        os: info.OperatingSystem,
        osType: info.OSType,
        kernelVersion: info.KernelVersion,
        architecture: info.Architecture,
        ncpu: info.NCPU,
        memTotal: info.MemTotal,
        storageDriver: info.Driver,
        cgroupDriver: info.CgroupDriver,
        cgroupVersion: info.CgroupVersion ?? '',
        dockerRootDir: info.DockerRootDir,
        swarm: info.Swarm?.LocalNodeState || 'inactive',
        containers: {
          total: info.Containers,
          running: info.ContainersRunning,
          paused: info.ContainersPaused,
          stopped: info.ContainersStopped,
        },
        images: info.Images,
        warnings: info.Warnings ?? [],
      },
      hardware,
      memory,
    };
  }
}

/** What a host looks like to the API: how it is reached (never its key material) and its state. */
export function toHost(host: EngineHost, agent: AgentStatus | null): Host {
  const status = host.state.status;
  const { endpoint } = host;
  const tls = endpoint.transport === 'tcp' && endpoint.tls !== null;
  return {
    id: host.id,
    name: host.name,
    kind: endpoint.transport === 'unix' ? 'socket' : endpoint.transport,
    url: canonicalUrl(endpoint),
    ssh:
      endpoint.transport === 'ssh' && endpoint.hostKey !== null
        ? {
            user: endpoint.user,
            hostKey: endpoint.hostKey,
            keyConfigured: endpoint.privateKey !== null,
          }
        : null,
    labels: host.labels,
    insecure: endpoint.transport === 'tcp' && endpoint.tls === null,
    tls: { configured: tls, serverName: tls ? endpoint.host : null },
    engineId: host.engineId,
    removable: host.removable,
    latencyMs: status.latencyMs,
    lastEventAt: status.lastEventAt?.toISOString() ?? null,
    transport: host.endpoint.transport,
    endpoint: host.endpointLabel,
    reachable: status.reachable,
    since: status.since.toISOString(),
    error: status.error,
    version: status.version,
    apiVersion: status.apiVersion,
    counts: host.state.counts(),
    agent,
  };
}
