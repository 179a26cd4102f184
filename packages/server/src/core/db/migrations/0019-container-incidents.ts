import type { Kysely, Migration } from 'kysely';

/**
 * Container incidents (health history): health changes, exits, OOM kills, restart loops and
 * post-start failures, per container. Kept by host and time; the recorder bounds the table.
 */
export const containerIncidents: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('container_incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('container_id', 'text', (c) => c.notNull())
      .addColumn('container_name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('exit_code', 'integer')
      .addColumn('health', 'text')
      .addColumn('labels', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    await db.schema
      .createIndex('container_incidents_host_at')
      .on('container_incidents')
      .columns(['host_id', 'at'])
      .execute();
    await db.schema
      .createIndex('container_incidents_container')
      .on('container_incidents')
      .columns(['host_id', 'container_id', 'at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('container_incidents').execute();
  },
};
