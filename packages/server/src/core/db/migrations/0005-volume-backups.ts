import type { Kysely, Migration } from 'kysely';

export const volumeBackups: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('volume_backup_schedules')
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('volume', 'text', (c) => c.notNull())
      .addColumn('every_hours', 'integer', (c) => c.notNull())
      .addColumn('keep', 'integer', (c) => c.notNull())
      .addColumn('stop_containers', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_run_at', 'text')
      .addColumn('last_error', 'text')
      .addPrimaryKeyConstraint('volume_backup_schedules_pk', ['host_id', 'volume'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('volume_backup_schedules').execute();
  },
};
