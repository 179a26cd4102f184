import type { Kysely, Migration } from 'kysely';

/**
 * Berth's global variables per host, interpolated into every stack of that host (a stack's
 * `.env` overrides them). A secret one's value is sealed with the SecretBox.
 */
export const stackVariables: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('stack_variables')
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('secret', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('stack_variables_pk', ['host_id', 'name'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('stack_variables').execute();
  },
};
