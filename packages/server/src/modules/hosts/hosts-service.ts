import type { Host, HostInfo, HostMemory } from '@berth/contract';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import type { HostHardware } from './host-hardware.js';
import { requireHost } from './require-host.js';

export interface HostsServiceDeps {
  hosts: EngineHosts;
  hardware: HostHardware;
  /** This machine's memory: only engines on it (unix socket) are described by it. */
  readLocalMemory: () => Promise<HostMemory | null>;
}

export class HostsService {
  constructor(private readonly deps: HostsServiceDeps) {}

  /** The hosts the caller may see. */
  list(visible: (hostId: string) => boolean): Host[] {
    return this.deps.hosts
      .list()
      .filter((host) => visible(host.id))
      .map(toHost);
  }

  async info(hostId: string): Promise<HostInfo> {
    const host = requireHost(this.deps.hosts, hostId);
    const [info, hardware, memory] = await Promise.all([
      host.client.info(),
      this.deps.hardware.profile(host),
      host.socketPath !== null ? this.deps.readLocalMemory() : Promise.resolve(null),
    ]);
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

function toHost(host: EngineHost): Host {
  const status = host.state.status;
  return {
    id: host.id,
    name: host.name,
    transport: host.endpoint.transport,
    endpoint: host.endpointLabel,
    reachable: status.reachable,
    since: status.since.toISOString(),
    error: status.error,
    version: status.version,
    apiVersion: status.apiVersion,
    counts: host.state.counts(),
  };
}
