import type { Db } from '../../core/db/database.js';
import type { HostsTable } from '../../core/db/schema.js';

export type HostRow = Pick<HostsTable, 'id' | 'name' | 'transport' | 'endpoint'>;

/** A stored host as Berth reads it back (TLS material still sealed). */
export interface StoredHost {
  id: string;
  name: string;
  kind: 'socket' | 'tcp' | 'ssh' | 'agent';
  url: string;
  labels: string[];
  insecure: boolean;
  engineId: string | null;
  tlsSealed: string | null;
  /** ssh: the pinned host key fingerprint. */
  sshHostKey: string | null;
  /** ssh: the sealed private key bundle; null for the agent. */
  sshKeySealed: string | null;
}

const COLUMNS = [
  'id',
  'name',
  'kind',
  'url',
  'labels',
  'insecure',
  'engine_id',
  'tls_sealed',
  'ssh_host_key',
  'ssh_key_sealed',
] as const;

interface Selected {
  id: string;
  name: string;
  kind: string;
  url: string;
  labels: string;
  insecure: number;
  engine_id: string | null;
  tls_sealed: string | null;
  ssh_host_key: string | null;
  ssh_key_sealed: string | null;
}

function kindOf(kind: string): StoredHost['kind'] {
  return kind === 'tcp' || kind === 'ssh' || kind === 'agent' ? kind : 'socket';
}

function toStored(row: Selected): StoredHost {
  return {
    id: row.id,
    name: row.name,
    kind: kindOf(row.kind),
    url: row.url,
    labels: JSON.parse(row.labels) as string[],
    insecure: row.insecure === 1,
    engineId: row.engine_id,
    tlsSealed: row.tls_sealed,
    sshHostKey: row.ssh_host_key,
    sshKeySealed: row.ssh_key_sealed,
  };
}

/** Tables that hold what Berth stored per host: kept on removal unless the admin says forget. */
const HOST_DATA_TABLES = [
  'container_environments',
  'image_previous_tags',
  'image_update_checks',
  'ip_reservations',
  'volume_backup_schedules',
  'stack_variables',
] as const;

/** Stored engine hosts. */
export class HostsRepository {
  constructor(private readonly db: Db) {}

  list(): Promise<HostRow[]> {
    return this.db
      .selectFrom('hosts')
      .select(['id', 'name', 'transport', 'endpoint'])
      .orderBy('id')
      .execute();
  }

  async listStored(): Promise<StoredHost[]> {
    const rows = await this.db.selectFrom('hosts').select(COLUMNS).orderBy('id').execute();
    return rows.map(toStored);
  }

  async get(id: string): Promise<StoredHost | undefined> {
    const row = await this.db
      .selectFrom('hosts')
      .select(COLUMNS)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toStored(row);
  }

  /** `local`, from DOCKER_HOST at every start. */
  async upsert(host: HostRow): Promise<void> {
    const kind = host.transport === 'tcp' ? 'tcp' : 'socket';
    await this.db
      .insertInto('hosts')
      .values({ ...host, kind, url: host.endpoint })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: host.name,
          transport: host.transport,
          endpoint: host.endpoint,
          kind,
          url: host.endpoint,
          updated_at: new Date().toISOString(),
        }),
      )
      .execute();
  }

  async insert(host: StoredHost): Promise<void> {
    await this.db
      .insertInto('hosts')
      .values({ ...columnsOf(host), id: host.id, name: host.name })
      .execute();
  }

  async update(host: StoredHost): Promise<void> {
    await this.db
      .updateTable('hosts')
      .set({ ...columnsOf(host), name: host.name, updated_at: new Date().toISOString() })
      .where('id', '=', host.id)
      .execute();
  }

  /**
   * Deletes the host (its grants and security settings go with it); with `forget`, also what
   * Berth stored for it in other tables. One transaction: all of it or nothing.
   */
  async remove(id: string, forget: boolean): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (forget) {
        for (const table of HOST_DATA_TABLES)
          await trx.deleteFrom(table).where('host_id', '=', id).execute();
      }
      await trx.deleteFrom('hosts').where('id', '=', id).execute();
    });
  }
}

function columnsOf(host: StoredHost) {
  return {
    transport: host.kind === 'socket' ? 'unix' : host.kind,
    endpoint: host.url,
    kind: host.kind,
    url: host.url,
    labels: JSON.stringify(host.labels),
    insecure: host.insecure ? 1 : 0,
    engine_id: host.engineId,
    tls_sealed: host.tlsSealed,
    ssh_host_key: host.sshHostKey,
    ssh_key_sealed: host.sshKeySealed,
  };
}
