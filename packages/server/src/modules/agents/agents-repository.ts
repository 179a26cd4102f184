import type { AgentPolicy, AgentSelf } from '@berth/contract';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../../core/db/database.js';
import type { AgentHostsTable } from '../../core/db/schema.js';

/** What Berth keeps of an agent host (the join token as its SHA-256 only). */
export interface AgentRecord {
  hostId: string;
  publicKey: string | null;
  keyFingerprint: string | null;
  pairedAt: string | null;
  keyRotatedAt: string | null;
  revokedAt: string | null;
  tokenHash: string | null;
  tokenExpiresAt: string | null;
  tokenUsedAt: string | null;
  lastConnectedAt: string | null;
  remoteAddress: string | null;
  version: string | null;
  hostname: string | null;
  engine: string | null;
  policy: AgentPolicy | null;
}

type Row = Selectable<AgentHostsTable>;

function toRecord(row: Row): AgentRecord {
  return {
    hostId: row.host_id,
    publicKey: row.public_key,
    keyFingerprint: row.key_fingerprint,
    pairedAt: row.paired_at,
    keyRotatedAt: row.key_rotated_at,
    revokedAt: row.revoked_at,
    tokenHash: row.token_hash,
    tokenExpiresAt: row.token_expires_at,
    tokenUsedAt: row.token_used_at,
    lastConnectedAt: row.last_connected_at,
    remoteAddress: row.remote_address,
    version: row.agent_version,
    hostname: row.agent_hostname,
    engine: row.agent_engine,
    policy: row.policy === null ? null : (JSON.parse(row.policy) as AgentPolicy),
  };
}

/** Agent hosts' pairing and keys. */
export class AgentsRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<AgentRecord[]> {
    return (await this.db.selectFrom('agent_hosts').selectAll().execute()).map(toRecord);
  }

  async get(hostId: string): Promise<AgentRecord | undefined> {
    const row = await this.db
      .selectFrom('agent_hosts')
      .selectAll()
      .where('host_id', '=', hostId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async byTokenHash(tokenHash: string): Promise<AgentRecord | undefined> {
    const row = await this.db
      .selectFrom('agent_hosts')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async insert(hostId: string): Promise<void> {
    await this.db.insertInto('agent_hosts').values({ host_id: hostId }).execute();
  }

  /** A new join token: the one before it (used or not) is forgotten. */
  async setToken(hostId: string, tokenHash: string, expiresAt: string): Promise<void> {
    await this.db
      .updateTable('agent_hosts')
      .set({ token_hash: tokenHash, token_expires_at: expiresAt, token_used_at: null })
      .where('host_id', '=', hostId)
      .execute();
  }

  /**
   * Pairs the agent that proved `publicKey` with the token, if the token is still unused and
   * unexpired: one statement, so of two agents racing with one token exactly one wins.
   * The key replaces any before it; a revocation ends.
   */
  async pair(
    hostId: string,
    tokenHash: string,
    publicKey: string,
    fingerprint: string,
    now: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('agent_hosts')
      .set({
        public_key: publicKey,
        key_fingerprint: fingerprint,
        paired_at: now,
        key_rotated_at: null,
        revoked_at: null,
        token_used_at: now,
      })
      .where('host_id', '=', hostId)
      .where('token_hash', '=', tokenHash)
      .where('token_used_at', 'is', null)
      .where('token_expires_at', '>', now)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async rotate(hostId: string, publicKey: string, fingerprint: string, now: string): Promise<void> {
    await this.db
      .updateTable('agent_hosts')
      .set({ public_key: publicKey, key_fingerprint: fingerprint, key_rotated_at: now })
      .where('host_id', '=', hostId)
      .execute();
  }

  /** Revokes the key, and a join token still waiting: it expires now. */
  async revoke(hostId: string, now: string): Promise<void> {
    await this.db
      .updateTable('agent_hosts')
      .set({
        revoked_at: now,
        token_expires_at: sql`min(coalesce(token_expires_at, ${now}), ${now})`,
      })
      .where('host_id', '=', hostId)
      .execute();
  }

  async noteConnected(hostId: string, self: AgentSelf, remoteAddress: string, now: string) {
    await this.db
      .updateTable('agent_hosts')
      .set({
        last_connected_at: now,
        remote_address: remoteAddress,
        agent_version: self.version,
        agent_hostname: self.hostname,
        agent_engine: self.engine,
        policy: JSON.stringify(self.policy),
      })
      .where('host_id', '=', hostId)
      .execute();
  }
}
