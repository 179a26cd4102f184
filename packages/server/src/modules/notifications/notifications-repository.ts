import type { Db } from '../../core/db/database.js';

export interface ChannelRecord {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  /** JSON of the settings without the secrets. */
  config: string;
  /** Sealed JSON of the secrets, as sealed by the caller; this class never sees them in clear. */
  sealedSecrets: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelChanges {
  name?: string;
  enabled?: boolean;
  config?: string;
  sealedSecrets?: string | null;
}

/** Stored notification channels. */
export class ChannelsRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<ChannelRecord[]> {
    const rows = await this.db
      .selectFrom('notification_channels')
      .selectAll()
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      enabled: r.enabled === 1,
      config: r.config,
      sealedSecrets: r.secrets_sealed,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  async find(id: string): Promise<ChannelRecord | undefined> {
    return (await this.list()).find((c) => c.id === id);
  }

  async create(channel: Omit<ChannelRecord, 'createdAt' | 'updatedAt'>): Promise<void> {
    await this.db
      .insertInto('notification_channels')
      .values({
        id: channel.id,
        name: channel.name,
        kind: channel.kind,
        enabled: channel.enabled ? 1 : 0,
        config: channel.config,
        secrets_sealed: channel.sealedSecrets,
      })
      .execute();
  }

  async update(id: string, changes: ChannelChanges): Promise<void> {
    await this.db
      .updateTable('notification_channels')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled ? 1 : 0 } : {}),
        ...(changes.config !== undefined ? { config: changes.config } : {}),
        ...(changes.sealedSecrets !== undefined ? { secrets_sealed: changes.sealedSecrets } : {}),
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('notification_channels').where('id', '=', id).execute();
  }
}
