import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database.js';
import type { VolumeBackupSchedulesTable } from '../../core/db/schema.js';

export interface BackupScheduleRecord {
  hostId: string;
  volume: string;
  everyHours: number;
  keep: number;
  stopContainers: boolean;
  lastRunAt: string | null;
  lastError: string | null;
}

export type BackupScheduleSettings = Pick<
  BackupScheduleRecord,
  'everyHours' | 'keep' | 'stopContainers'
>;

/** One backup schedule per volume of a host, with how its last run went. */
export class BackupSchedulesRepository {
  constructor(private readonly db: Db) {}

  async find(hostId: string, volume: string): Promise<BackupScheduleRecord | undefined> {
    const row = await this.db
      .selectFrom('volume_backup_schedules')
      .selectAll()
      .where('host_id', '=', hostId)
      .where('volume', '=', volume)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  async all(): Promise<BackupScheduleRecord[]> {
    const rows = await this.db.selectFrom('volume_backup_schedules').selectAll().execute();
    return rows.map(toRecord);
  }

  /** Creates the schedule, or changes the one the volume has (keeping its last run). */
  async save(hostId: string, volume: string, settings: BackupScheduleSettings): Promise<void> {
    const values = {
      every_hours: settings.everyHours,
      keep: settings.keep,
      stop_containers: settings.stopContainers ? 1 : 0,
    };
    await this.db
      .insertInto('volume_backup_schedules')
      .values({ host_id: hostId, volume, ...values })
      .onConflict((oc) => oc.columns(['host_id', 'volume']).doUpdateSet(values))
      .execute();
  }

  async delete(hostId: string, volume: string): Promise<void> {
    await this.db
      .deleteFrom('volume_backup_schedules')
      .where('host_id', '=', hostId)
      .where('volume', '=', volume)
      .execute();
  }

  async recordRun(hostId: string, volume: string, at: string, error: string | null): Promise<void> {
    await this.db
      .updateTable('volume_backup_schedules')
      .set({ last_run_at: at, last_error: error })
      .where('host_id', '=', hostId)
      .where('volume', '=', volume)
      .execute();
  }
}

function toRecord(row: Selectable<VolumeBackupSchedulesTable>): BackupScheduleRecord {
  return {
    hostId: row.host_id,
    volume: row.volume,
    everyHours: row.every_hours,
    keep: row.keep,
    stopContainers: row.stop_containers === 1,
    lastRunAt: row.last_run_at,
    lastError: row.last_error,
  };
}
