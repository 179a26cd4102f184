import { sql, type Kysely, type Migration } from 'kysely';

export const ipReservations: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('ip_reservations')
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('network_id', 'text', (c) => c.notNull())
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) =>
        c.notNull().defaultTo(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
      )
      .addPrimaryKeyConstraint('ip_reservations_pk', ['host_id', 'network_id', 'ip'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('ip_reservations').execute();
  },
};
