import type { Kysely, Migration } from 'kysely';

/**
 * Wake-on-demand's figures per proxy route: the last wake and sleep, the day's counts, why the
 * last wake failed, and a Swarm service's replica count before it was scaled to zero for
 * sleep (so a wake scales it back). Asleep or awake is not stored: it is read from the
 * target's containers at start.
 */
export const proxyWake: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('proxy_wake_stats')
      .addColumn('route_id', 'text', (c) => c.primaryKey())
      .addColumn('last_activity_at', 'text')
      .addColumn('last_wake_at', 'text')
      .addColumn('last_time_to_healthy_ms', 'integer')
      .addColumn('last_sleep_at', 'text')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('wakes_today', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('sleeps_today', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('reason', 'text')
      .addColumn('swarm_replicas', 'integer')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('proxy_wake_stats').execute();
  },
};
