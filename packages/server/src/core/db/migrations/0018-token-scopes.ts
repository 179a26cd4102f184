import { sql, type Kysely, type Migration } from 'kysely';

/** What each API token may be used for: `api` (every token so far) or `metrics` (scrapes only). */
export const tokenScopes: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('api_tokens')
      .addColumn('scope', 'text', (c) => c.notNull().defaultTo(sql`'api'`))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('api_tokens').dropColumn('scope').execute();
  },
};
