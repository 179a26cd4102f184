import type { ProxySettings } from '@berth/contract';
import type { Db } from '../../core/db/database.js';
import type { ProxyRoutesTable } from '../../core/db/schema.js';
import type { StoredProxyRoute } from './proxy-ports.js';

/** Stored proxy routes and the proxy's ACME settings. */
export class ProxyRoutesRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<StoredProxyRoute[]> {
    const rows = await this.db
      .selectFrom('proxy_routes')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRoute);
  }

  /** The label route declared by `sourceKey` (host/container or host/stack/service). */
  async bySource(sourceKey: string): Promise<StoredProxyRoute | undefined> {
    const row = await this.db
      .selectFrom('proxy_routes')
      .selectAll()
      .where('source_key', '=', sourceKey)
      .executeTakeFirst();
    return row && toRoute(row);
  }

  async save(route: StoredProxyRoute, sourceKey: string | null): Promise<void> {
    const row = toRow(route, sourceKey);
    await this.db
      .insertInto('proxy_routes')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('proxy_routes').where('id', '=', id).execute();
    return Number(result[0]?.numDeletedRows ?? 0) > 0;
  }

  async settings(): Promise<ProxySettings> {
    const row = await this.db
      .selectFrom('proxy_settings')
      .selectAll()
      .where('id', '=', 1)
      .executeTakeFirst();
    return { acmeEmail: row?.acme_email ?? null, acmeCa: row?.acme_ca ?? null };
  }

  async saveSettings(settings: ProxySettings): Promise<void> {
    const row = { id: 1, acme_email: settings.acmeEmail, acme_ca: settings.acmeCa };
    await this.db
      .insertInto('proxy_settings')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }
}

function toRow(route: StoredProxyRoute, sourceKey: string | null): ProxyRoutesTable {
  return {
    id: route.id,
    hostnames: JSON.stringify(route.hostnames),
    path_prefix: route.pathPrefix,
    target: JSON.stringify(route.target),
    target_host: route.target.host,
    tls: route.tls,
    auth: JSON.stringify(route.auth),
    headers: JSON.stringify(route.headers),
    compress: route.compress ? 1 : 0,
    wake: route.wake === null ? null : JSON.stringify(route.wake),
    enabled: route.enabled ? 1 : 0,
    source: JSON.stringify(route.source),
    source_key: sourceKey,
    created_at: route.createdAt,
    updated_at: route.updatedAt,
  };
}

function toRoute(row: ProxyRoutesTable): StoredProxyRoute {
  return {
    id: row.id,
    hostnames: JSON.parse(row.hostnames) as string[],
    pathPrefix: row.path_prefix,
    target: JSON.parse(row.target) as StoredProxyRoute['target'],
    tls: row.tls as StoredProxyRoute['tls'],
    auth: JSON.parse(row.auth) as StoredProxyRoute['auth'],
    headers: JSON.parse(row.headers) as StoredProxyRoute['headers'],
    compress: row.compress === 1,
    wake: row.wake === null ? null : (JSON.parse(row.wake) as StoredProxyRoute['wake']),
    enabled: row.enabled === 1,
    source: JSON.parse(row.source) as StoredProxyRoute['source'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
