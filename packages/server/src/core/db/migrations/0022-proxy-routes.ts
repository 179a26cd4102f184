import type { Kysely, Migration } from 'kysely';

/**
 * Routes through Caddy (the JSON columns hold the contract's shapes; basic-auth users keep
 * bcrypt hashes only) and the proxy's ACME settings (one row). `source_key` names what
 * declared a label route (host/container or host/stack/service), unique so that a container's
 * labels make one route however often its events come.
 */
export const proxyRoutes: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('proxy_routes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('hostnames', 'text', (c) => c.notNull())
      .addColumn('path_prefix', 'text')
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('target_host', 'text', (c) => c.notNull())
      .addColumn('tls', 'text', (c) => c.notNull())
      .addColumn('auth', 'text', (c) => c.notNull())
      .addColumn('headers', 'text', (c) => c.notNull())
      .addColumn('compress', 'integer', (c) => c.notNull())
      .addColumn('wake', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('source_key', 'text', (c) => c.unique())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('proxy_settings')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('acme_email', 'text')
      .addColumn('acme_ca', 'text')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('proxy_settings').execute();
    await db.schema.dropTable('proxy_routes').execute();
  },
};
