import type { ContainerIncident, HealthHistoryQuery, IncidentsQuery } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { requireHost } from '../hosts/require-host.js';
import type { IncidentsRepository } from './incidents-repository.js';

/** Reads the health history: one container's timeline, a host's "what broke" feed. */
export class HealthHistoryService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly repository: IncidentsRepository,
  ) {}

  /**
   * By id, unique id prefix or name: a container that exists now, one removed since Berth
   * started, or one only the history remembers. By name it spans the containers that had it
   * (a recreate keeps the name, not the id).
   */
  async timeline(
    hostId: string,
    ref: string,
    query: HealthHistoryQuery,
  ): Promise<ContainerIncident[]> {
    const host = requireHost(this.hosts, hostId);
    const containers = host.state.containers();
    const found =
      containers.find((c) => c.id === ref || c.name === ref) ??
      only(containers.filter((c) => c.id.startsWith(ref)));
    const removed = found ? undefined : host.state.removedName(ref);
    const ids = found ? [found.id] : removed ? [removed.id] : [];
    const name = found?.name ?? removed?.name ?? ref;
    if (ids.length === 0 && /^[0-9a-f]{1,64}$/.test(ref)) {
      const stored = await this.repository.containerIdsByPrefix(hostId, ref);
      if (stored.length === 1) ids.push(...stored);
    }
    const incidents = await this.repository.list(hostId, {
      containerIds: ids,
      containerName: name,
      since: query.since,
      limit: query.limit,
    });
    if (!found && incidents.length === 0)
      throw AppError.notFound('container_not_found', `No container "${ref}"`, { id: ref });
    return incidents;
  }

  incidents(hostId: string, query: IncidentsQuery): Promise<ContainerIncident[]> {
    requireHost(this.hosts, hostId);
    return this.repository.list(hostId, query);
  }
}

function only<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}
