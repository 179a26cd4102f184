import type { Kysely, Migration } from 'kysely';

/**
 * The operation journal: one row per multi-step engine operation under way (recreate, backup,
 * restore), its step written before the step is taken, so a start after a crash can finish or
 * roll back what the killed process left half done.
 */
export const operationJournal: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('operation_journal')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('step', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('operation_journal_host')
      .on('operation_journal')
      .column('host_id')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('operation_journal').execute();
  },
};
