import type { Db } from '../../core/db/database.js';
import type { HostsTable } from '../../core/db/schema.js';

export type HostRow = Pick<HostsTable, 'id' | 'name' | 'transport' | 'endpoint'>;

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

  async upsert(host: HostRow): Promise<void> {
    await this.db
      .insertInto('hosts')
      .values(host)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          name: host.name,
          transport: host.transport,
          endpoint: host.endpoint,
          updated_at: new Date().toISOString(),
        }),
      )
      .execute();
  }
}
