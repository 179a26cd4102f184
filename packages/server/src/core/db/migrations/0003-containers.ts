import type { Kysely, Migration } from 'kysely';

export const containers: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // Environment tags Berth keeps for any container, managed or not, keyed by engine id.
    await db.schema
      .createTable('container_environments')
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('container_id', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('container_environments_pk', ['host_id', 'container_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('container_environments').execute();
  },
};
