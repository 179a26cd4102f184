import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Agent hosts (kind agent): the agent's public key once paired (every connection proves it),
 * the join token waiting to be used (its SHA-256 only), and what the agent last said of
 * itself. Goes with its host.
 */
export const agentHosts: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('agent_hosts')
      .addColumn('host_id', 'text', (c) =>
        c.primaryKey().references('hosts.id').onDelete('cascade'),
      )
      .addColumn('public_key', 'text')
      .addColumn('key_fingerprint', 'text')
      .addColumn('paired_at', 'text')
      .addColumn('key_rotated_at', 'text')
      .addColumn('revoked_at', 'text')
      .addColumn('token_hash', 'text', (c) => c.unique())
      .addColumn('token_expires_at', 'text')
      .addColumn('token_used_at', 'text')
      .addColumn('last_connected_at', 'text')
      .addColumn('remote_address', 'text')
      .addColumn('agent_version', 'text')
      .addColumn('agent_hostname', 'text')
      .addColumn('agent_engine', 'text')
      .addColumn('policy', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('agent_hosts').execute();
  },
};
