import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Hosts added at runtime: how each is reached (kind socket or tcp, its URL), its labels (JSON
 * array), whether plain TCP was asked for, the engine ID it reached when added, and its TLS
 * material (CA, client certificate and key) sealed with the SecretBox as one JSON bundle.
 */
export const runtimeHosts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const hosts = () => db.schema.alterTable('hosts');
    await hosts()
      .addColumn('kind', 'text', (c) => c.notNull().defaultTo('socket'))
      .execute();
    await hosts()
      .addColumn('url', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await hosts()
      .addColumn('labels', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    await hosts()
      .addColumn('insecure', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await hosts().addColumn('engine_id', 'text').execute();
    await hosts().addColumn('tls_sealed', 'text').execute();
    await sql`UPDATE hosts SET url = endpoint, kind = CASE transport WHEN 'tcp' THEN 'tcp' ELSE 'socket' END`.execute(
      db,
    );
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const column of ['tls_sealed', 'engine_id', 'insecure', 'labels', 'url', 'kind'])
      await db.schema.alterTable('hosts').dropColumn(column).execute();
  },
};
