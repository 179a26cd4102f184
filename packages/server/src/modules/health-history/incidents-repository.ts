import type { ContainerIncident, IncidentKind } from '@berth/contract';
import type { Db } from '../../core/db/database.js';
import type { ContainerIncidentsTable } from '../../core/db/schema.js';

export interface IncidentFilter {
  containerIds?: string[];
  containerName?: string;
  since?: string;
  kind?: IncidentKind;
  limit: number;
}

/** Stored container incidents (the health history). */
export class IncidentsRepository {
  constructor(private readonly db: Db) {}

  async insert(incident: ContainerIncident): Promise<void> {
    await this.db
      .insertInto('container_incidents')
      .values({
        id: incident.id,
        host_id: incident.hostId,
        container_id: incident.containerId,
        container_name: incident.containerName,
        kind: incident.kind,
        at: incident.at,
        reason: incident.reason,
        exit_code: incident.exitCode,
        health: incident.health,
        labels: JSON.stringify(incident.labels),
      })
      .execute();
  }

  /** A host's incidents, newest first; by container id or by name when given. */
  async list(hostId: string, filter: IncidentFilter): Promise<ContainerIncident[]> {
    let query = this.db.selectFrom('container_incidents').selectAll().where('host_id', '=', hostId);
    const { containerIds, containerName } = filter;
    if (containerIds || containerName !== undefined) {
      query = query.where((eb) =>
        eb.or([
          ...(containerIds?.length ? [eb('container_id', 'in', containerIds)] : []),
          ...(containerName !== undefined ? [eb('container_name', '=', containerName)] : []),
        ]),
      );
    }
    if (filter.since) query = query.where('at', '>', filter.since);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    const rows = await query
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit)
      .execute();
    return rows.map(toIncident);
  }

  /** The ids of a host's containers whose history starts with `prefix` (a removed container). */
  async containerIdsByPrefix(hostId: string, prefix: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('container_incidents')
      .select('container_id')
      .distinct()
      .where('host_id', '=', hostId)
      .where('container_id', 'like', `${prefix.replace(/[%_]/g, '')}%`)
      .limit(2)
      .execute();
    return rows.map((r) => r.container_id);
  }

  /** Drops what is older than `before`, and all but each host's newest `keepPerHost`. */
  async prune(before: string, keepPerHost: number): Promise<number> {
    const old = await this.db.deleteFrom('container_incidents').where('at', '<', before).execute();
    const hosts = await this.db
      .selectFrom('container_incidents')
      .select(['host_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('host_id')
      .execute();
    let removed = Number(old[0]?.numDeletedRows ?? 0);
    for (const host of hosts) {
      if (Number(host.n) <= keepPerHost) continue;
      const cut = await this.db
        .selectFrom('container_incidents')
        .select('at')
        .where('host_id', '=', host.host_id)
        .orderBy('at', 'desc')
        .offset(keepPerHost)
        .limit(1)
        .executeTakeFirst();
      if (!cut) continue;
      const res = await this.db
        .deleteFrom('container_incidents')
        .where('host_id', '=', host.host_id)
        .where('at', '<=', cut.at)
        .execute();
      removed += Number(res[0]?.numDeletedRows ?? 0);
    }
    return removed;
  }
}

function toIncident(row: ContainerIncidentsTable): ContainerIncident {
  return {
    id: row.id,
    hostId: row.host_id,
    containerId: row.container_id,
    containerName: row.container_name,
    kind: row.kind as IncidentKind,
    at: row.at,
    reason: row.reason,
    exitCode: row.exit_code,
    health: row.health,
    labels: JSON.parse(row.labels) as Record<string, string>,
  };
}
