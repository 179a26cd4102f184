import type { Db } from '../../core/db/database.js';

export interface ReservationRow {
  networkId: string;
  ip: string;
  purpose: string;
  createdAt: string;
}

/** Addresses set aside in a network for a named purpose. */
export class ReservationsRepository {
  constructor(private readonly db: Db) {}

  async forHost(hostId: string): Promise<ReservationRow[]> {
    const rows = await this.db
      .selectFrom('ip_reservations')
      .selectAll()
      .where('host_id', '=', hostId)
      .execute();
    return rows.map((r) => ({
      networkId: r.network_id,
      ip: r.ip,
      purpose: r.purpose,
      createdAt: r.created_at,
    }));
  }

  async forNetwork(hostId: string, networkId: string): Promise<ReservationRow[]> {
    return (await this.forHost(hostId)).filter((r) => r.networkId === networkId);
  }

  async add(hostId: string, networkId: string, ip: string, purpose: string): Promise<void> {
    await this.db
      .insertInto('ip_reservations')
      .values({ host_id: hostId, network_id: networkId, ip, purpose })
      .execute();
  }

  async remove(hostId: string, networkId: string, ip: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('ip_reservations')
      .where('host_id', '=', hostId)
      .where('network_id', '=', networkId)
      .where('ip', '=', ip)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async removeNetwork(hostId: string, networkId: string): Promise<void> {
    await this.db
      .deleteFrom('ip_reservations')
      .where('host_id', '=', hostId)
      .where('network_id', '=', networkId)
      .execute();
  }
}
