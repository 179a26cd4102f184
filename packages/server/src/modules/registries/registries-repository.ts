import type { Db } from '../../core/db/database.js';

export interface RegistryRecord {
  id: string;
  name: string;
  host: string;
  username: string;
  /** The password as sealed by the caller; this class never sees it in clear. */
  sealedSecret: string;
  insecure: boolean;
  createdAt: string;
}

export interface RegistryChanges {
  name?: string;
  username?: string;
  sealedSecret?: string;
  insecure?: boolean;
}

/** Stored registry credentials. */
export class RegistriesRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<RegistryRecord[]> {
    const rows = await this.db.selectFrom('registries').selectAll().orderBy('name').execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      host: r.host,
      username: r.username,
      sealedSecret: r.secret,
      insecure: r.insecure === 1,
      createdAt: r.created_at,
    }));
  }

  async create(registry: Omit<RegistryRecord, 'createdAt'>): Promise<void> {
    await this.db
      .insertInto('registries')
      .values({
        id: registry.id,
        name: registry.name,
        host: registry.host,
        username: registry.username,
        secret: registry.sealedSecret,
        insecure: registry.insecure ? 1 : 0,
      })
      .execute();
  }

  async update(id: string, changes: RegistryChanges): Promise<void> {
    await this.db
      .updateTable('registries')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.username !== undefined ? { username: changes.username } : {}),
        ...(changes.sealedSecret !== undefined ? { secret: changes.sealedSecret } : {}),
        ...(changes.insecure !== undefined ? { insecure: changes.insecure ? 1 : 0 } : {}),
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('registries').where('id', '=', id).execute();
  }
}
