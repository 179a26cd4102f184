import type { BackupSchedule, BackupScheduleView } from '@berth/contract';
import type { Db } from '../../core/db/database.js';
import { runDetached } from '../../core/detached.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { AuditService } from '../audit/audit-service.js';
import { SYSTEM_ACTOR } from '../audit/audit-service.js';
import type { VolumeBackups } from './volume-backups.js';

const CHECK_EVERY_MS = 60_000;

/** Backups on a schedule, each volume with its own interval and how many to keep. */
export class BackupSchedules {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly db: Db,
    private readonly backups: VolumeBackups,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async get(hostId: string, volume: string): Promise<BackupScheduleView | null> {
    const row = await this.db
      .selectFrom('volume_backup_schedules')
      .selectAll()
      .where('host_id', '=', hostId)
      .where('volume', '=', volume)
      .executeTakeFirst();
    return row
      ? {
          volume: row.volume,
          everyHours: row.every_hours,
          keep: row.keep,
          stopContainers: row.stop_containers === 1,
          lastRunAt: row.last_run_at,
          lastError: row.last_error,
        }
      : null;
  }

  /** Sets the schedule of a volume that exists (404 otherwise). */
  async set(hostId: string, volume: string, schedule: BackupSchedule): Promise<BackupScheduleView> {
    await this.backups.requireVolume(hostId, volume);
    const values = {
      every_hours: schedule.everyHours,
      keep: schedule.keep,
      stop_containers: schedule.stopContainers ? 1 : 0,
    };
    await this.db
      .insertInto('volume_backup_schedules')
      .values({ host_id: hostId, volume, ...values })
      .onConflict((oc) => oc.columns(['host_id', 'volume']).doUpdateSet(values))
      .execute();
    const view = await this.get(hostId, volume);
    if (!view) throw new Error('the schedule just saved is missing');
    return view;
  }

  async clear(hostId: string, volume: string): Promise<void> {
    await this.db
      .deleteFrom('volume_backup_schedules')
      .where('host_id', '=', hostId)
      .where('volume', '=', volume)
      .execute();
  }

  /** Runs every schedule that is due; returns how many backups were made. */
  async runDue(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let made = 0;
    try {
      const rows = await this.db.selectFrom('volume_backup_schedules').selectAll().execute();
      for (const row of rows) {
        const due =
          row.last_run_at === null ||
          this.now() - Date.parse(row.last_run_at) >= row.every_hours * 3_600_000;
        if (!due) continue;
        let error: string | null = null;
        try {
          const backup = await this.backups.create(row.host_id, row.volume, {
            stopContainers: row.stop_containers === 1,
          });
          await this.backups.prune(row.host_id, row.volume, row.keep);
          made += 1;
          await this.audit.record({
            actor: SYSTEM_ACTOR,
            action: 'volume.backup',
            target: `${row.host_id}/${row.volume}`,
            outcome: 'success',
            details: { id: backup.id, scheduled: true },
          });
        } catch (err) {
          error = errorMessage(err);
          this.logger.error(
            { volume: row.volume, host: row.host_id, err: error },
            'scheduled backup failed',
          );
          await this.audit.record({
            actor: SYSTEM_ACTOR,
            action: 'volume.backup',
            target: `${row.host_id}/${row.volume}`,
            outcome: 'failure',
            details: { error, scheduled: true },
          });
        }
        await this.db
          .updateTable('volume_backup_schedules')
          .set({ last_run_at: new Date(this.now()).toISOString(), last_error: error })
          .where('host_id', '=', row.host_id)
          .where('volume', '=', row.volume)
          .execute();
      }
    } finally {
      this.running = false;
    }
    return made;
  }

  start(): void {
    this.timer ??= setInterval(() => {
      runDetached(this.runDue(), this.logger, {}, 'backup schedules could not be run');
    }, CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
