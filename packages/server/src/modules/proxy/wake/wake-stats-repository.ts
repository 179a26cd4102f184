import type { Db } from '../../../core/db/database.js';
import type { ProxyWakeStatsTable } from '../../../core/db/schema.js';

export type WakeStats = ProxyWakeStatsTable;

/** Wake-on-demand's stored figures, one row per route. */
export class WakeStatsRepository {
  constructor(private readonly db: Db) {}

  async get(routeId: string): Promise<WakeStats | undefined> {
    return this.db
      .selectFrom('proxy_wake_stats')
      .selectAll()
      .where('route_id', '=', routeId)
      .executeTakeFirst();
  }

  async save(stats: WakeStats): Promise<void> {
    await this.db
      .insertInto('proxy_wake_stats')
      .values(stats)
      .onConflict((oc) => oc.column('route_id').doUpdateSet(stats))
      .execute();
  }

  async delete(routeId: string): Promise<void> {
    await this.db.deleteFrom('proxy_wake_stats').where('route_id', '=', routeId).execute();
  }
}
