import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Notification channels (their secrets sealed apart from the plain settings) and the delivery
 * queue: every notification sent to a channel is a row, pending until sent or out of attempts,
 * so deliveries survive a restart and each outcome is kept (pruned by age and count).
 */
export const notifications: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('notification_channels')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('secrets_sealed', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
      .addColumn('updated_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
      .execute();
    await db.schema
      .createTable('notification_deliveries')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('channel_id', 'text', (c) =>
        c.notNull().references('notification_channels.id').onDelete('cascade'),
      )
      .addColumn('notification', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema
      .createIndex('notification_deliveries_due')
      .on('notification_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('notification_deliveries_channel')
      .on('notification_deliveries')
      .columns(['channel_id', 'id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('notification_deliveries').execute();
    await db.schema.dropTable('notification_channels').execute();
  },
};
