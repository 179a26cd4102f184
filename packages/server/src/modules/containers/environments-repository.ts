import type { Db } from '../../core/db/database.js';

/** Environment tags (dev, prod, …) Berth keeps per container, whoever created it. */
export class EnvironmentsRepository {
  constructor(private readonly db: Db) {}

  async forHost(hostId: string): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('container_environments')
      .select(['container_id', 'environment'])
      .where('host_id', '=', hostId)
      .execute();
    return new Map(rows.map((r) => [r.container_id, r.environment]));
  }

  async get(hostId: string, containerId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('container_environments')
      .select('environment')
      .where('host_id', '=', hostId)
      .where('container_id', '=', containerId)
      .executeTakeFirst();
    return row?.environment;
  }

  async set(hostId: string, containerId: string, environment: string | null): Promise<void> {
    if (environment === null) {
      await this.db
        .deleteFrom('container_environments')
        .where('host_id', '=', hostId)
        .where('container_id', '=', containerId)
        .execute();
      return;
    }
    const updated_at = new Date().toISOString();
    await this.db
      .insertInto('container_environments')
      .values({ host_id: hostId, container_id: containerId, environment, updated_at })
      .onConflict((oc) =>
        oc.columns(['host_id', 'container_id']).doUpdateSet({ environment, updated_at }),
      )
      .execute();
  }

  /** Carries a tag over to the container that replaced another (recreate). */
  async move(hostId: string, fromId: string, toId: string): Promise<void> {
    const environment = await this.get(hostId, fromId);
    if (environment === undefined) return;
    await this.set(hostId, toId, environment);
    await this.set(hostId, fromId, null);
  }
}
