import type { Kysely, Migration } from 'kysely';

/** Each host's security settings for non-admins; a host without a row has the defaults. */
export const hostSecurity: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('host_security')
      .addColumn('host_id', 'text', (c) =>
        c.primaryKey().references('hosts.id').onDelete('cascade'),
      )
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'text')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('host_security').execute();
  },
};
