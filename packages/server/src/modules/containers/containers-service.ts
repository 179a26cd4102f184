import type { ContainerSummary } from '@berth/contract';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { requireHost } from '../hosts/require-host.js';

export class ContainersService {
  constructor(private readonly hosts: EngineHosts) {}

  /** Served from the host's engine state: no engine call per request. */
  list(hostId: string, options: { all: boolean }): ContainerSummary[] {
    const containers = requireHost(this.hosts, hostId).state.containers();
    const chosen = options.all ? containers : containers.filter((c) => c.state === 'running');
    return chosen.sort(
      (a, b) => b.created.localeCompare(a.created) || a.name.localeCompare(b.name),
    );
  }
}
