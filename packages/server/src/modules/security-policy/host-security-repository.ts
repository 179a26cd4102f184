import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database.js';
import type { HostSecurityTable } from '../../core/db/schema.js';

export type HostSecurityRow = Selectable<HostSecurityTable>;

/** Each host's security settings, as the JSON text the service wrote. */
export class HostSecurityRepository {
  constructor(private readonly db: Db) {}

  get(hostId: string): Promise<HostSecurityRow | undefined> {
    return this.db
      .selectFrom('host_security')
      .selectAll()
      .where('host_id', '=', hostId)
      .executeTakeFirst();
  }

  async put(row: HostSecurityRow): Promise<void> {
    const { host_id: _id, ...changes } = row;
    void _id;
    await this.db
      .insertInto('host_security')
      .values(row)
      .onConflict((oc) => oc.column('host_id').doUpdateSet(changes))
      .execute();
  }
}
