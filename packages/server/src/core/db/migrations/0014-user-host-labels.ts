import type { Kysely, Migration } from 'kysely';

/**
 * Grants by host label: the labels (JSON array) whose hosts a user may see, beside the hosts
 * granted by id (`user_hosts`). A label grant covers hosts labelled later too.
 */
export const userHostLabels: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('users')
      .addColumn('host_labels', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('users').dropColumn('host_labels').execute();
  },
};
