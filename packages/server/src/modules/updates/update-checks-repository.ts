import type { Db } from '../../core/db/database.js';

export interface UpdateCheckRecord {
  image: string;
  localDigest: string | null;
  remoteDigest: string | null;
  status: string;
  reason: string | null;
  checkedAt: string;
}

/** The latest update check of each host: one row per image tag in use. */
export class UpdateChecksRepository {
  constructor(private readonly db: Db) {}

  async forHost(hostId: string): Promise<UpdateCheckRecord[]> {
    const rows = await this.db
      .selectFrom('image_update_checks')
      .selectAll()
      .where('host_id', '=', hostId)
      .orderBy('image')
      .execute();
    return rows.map((r) => ({
      image: r.image,
      localDigest: r.local_digest,
      remoteDigest: r.remote_digest,
      status: r.status,
      reason: r.reason,
      checkedAt: r.checked_at,
    }));
  }

  /** The image tags with an update available, on every host: one query for the fleet view. */
  async available(): Promise<{ hostId: string; image: string }[]> {
    const rows = await this.db
      .selectFrom('image_update_checks')
      .select(['host_id', 'image'])
      .where('status', '=', 'update-available')
      .execute();
    return rows.map((r) => ({ hostId: r.host_id, image: r.image }));
  }

  /** Replaces the host's previous check in one transaction: readers never see half of one. */
  async replaceForHost(hostId: string, checks: UpdateCheckRecord[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('image_update_checks').where('host_id', '=', hostId).execute();
      for (const c of checks) {
        await trx
          .insertInto('image_update_checks')
          .values({
            host_id: hostId,
            image: c.image,
            local_digest: c.localDigest,
            remote_digest: c.remoteDigest,
            status: c.status,
            reason: c.reason,
            checked_at: c.checkedAt,
          })
          .execute();
      }
    });
  }
}
