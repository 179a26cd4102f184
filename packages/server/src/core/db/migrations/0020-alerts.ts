import type { Kysely, Migration } from 'kysely';

/** Alert rules, the alerts they raised (firing and resolved), and silences. */
export const alerts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('alert_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('threshold', 'real')
      .addColumn('for_minutes', 'real', (c) => c.notNull())
      .addColumn('repeat_minutes', 'real', (c) => c.notNull())
      .addColumn('notify_resolved', 'integer', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('channels', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('rule_name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('host_id', 'text')
      .addColumn('container_name', 'text')
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('fired_at', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .addColumn('last_notified_at', 'text')
      .addColumn('notifications', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('silenced', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('acknowledged_at', 'text')
      .addColumn('acknowledged_by', 'text')
      .execute();
    await db.schema
      .createIndex('alerts_state_fired')
      .on('alerts')
      .columns(['state', 'fired_at'])
      .execute();
    await db.schema
      .createTable('alert_silences')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('matchers', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'text', (c) => c.notNull())
      .addColumn('comment', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('alert_silences').execute();
    await db.schema.dropTable('alerts').execute();
    await db.schema.dropTable('alert_rules').execute();
  },
};
