import type { Kysely, Migration } from 'kysely';

/**
 * Stacks: the last versions of each stack's files (to diff and restore), the last deploy of
 * each stack, and the stacks the compose CLI started that Berth adopted (their files stay where
 * they are).
 */
export const stacks: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('stack_versions')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('stack', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('by', 'text')
      .addColumn('message', 'text')
      .addColumn('files', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('stack_versions_stack')
      .on('stack_versions')
      .columns(['host_id', 'stack', 'id'])
      .execute();
    await db.schema
      .createTable('stack_deploys')
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('stack', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('by', 'text')
      .addColumn('ok', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('stack_deploys_pk', ['host_id', 'stack'])
      .execute();
    await db.schema
      .createTable('stack_adoptions')
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('stack', 'text', (c) => c.notNull())
      .addColumn('working_dir', 'text', (c) => c.notNull())
      .addColumn('config_files', 'text', (c) => c.notNull())
      .addColumn('adopted_at', 'text', (c) => c.notNull())
      .addColumn('adopted_by', 'text')
      .addPrimaryKeyConstraint('stack_adoptions_pk', ['host_id', 'stack'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('stack_adoptions').execute();
    await db.schema.dropTable('stack_deploys').execute();
    await db.schema.dropTable('stack_versions').execute();
  },
};
