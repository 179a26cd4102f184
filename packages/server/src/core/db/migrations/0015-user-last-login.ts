import type { Kysely, Migration } from 'kysely';

/** When each user last signed in (null until the first login after this migration). */
export const userLastLogin: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('users').addColumn('last_login_at', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('users').dropColumn('last_login_at').execute();
  },
};
