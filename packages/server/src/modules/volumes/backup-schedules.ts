import type { BackupSchedule, BackupScheduleView } from '@berth/contract';
import { runDetached } from '../../core/detached.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { AuditService } from '../audit/audit-service.js';
import { SYSTEM_ACTOR } from '../audit/audit-service.js';
import type {
  BackupScheduleRecord,
  BackupSchedulesRepository,
} from './backup-schedules-repository.js';
import type { VolumeBackups } from './volume-backups.js';

const CHECK_EVERY_MS = 60_000;

function toView(s: BackupScheduleRecord): BackupScheduleView {
  return {
    volume: s.volume,
    everyHours: s.everyHours,
    keep: s.keep,
    stopContainers: s.stopContainers,
    lastRunAt: s.lastRunAt,
    lastError: s.lastError,
  };
}

/** Backups on a schedule, each volume with its own interval and how many to keep. */
export class BackupSchedules {
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly schedules: BackupSchedulesRepository,
    private readonly backups: VolumeBackups,
    private readonly audit: AuditService,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async get(hostId: string, volume: string): Promise<BackupScheduleView | null> {
    const found = await this.schedules.find(hostId, volume);
    return found ? toView(found) : null;
  }

  /** Sets the schedule of a volume that exists (404 otherwise). */
  async set(hostId: string, volume: string, schedule: BackupSchedule): Promise<BackupScheduleView> {
    await this.backups.requireVolume(hostId, volume);
    await this.schedules.save(hostId, volume, schedule);
    const view = await this.get(hostId, volume);
    if (!view) throw new Error('the schedule just saved is missing');
    return view;
  }

  async clear(hostId: string, volume: string): Promise<void> {
    await this.schedules.delete(hostId, volume);
  }

  /** Runs every schedule that is due; returns how many backups were made. */
  async runDue(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    let made = 0;
    try {
      const rows = await this.schedules.all();
      for (const schedule of rows) {
        const due =
          schedule.lastRunAt === null ||
          this.now() - Date.parse(schedule.lastRunAt) >= schedule.everyHours * 3_600_000;
        if (!due) continue;
        let error: string | null = null;
        try {
          const backup = await this.backups.create(schedule.hostId, schedule.volume, {
            stopContainers: schedule.stopContainers,
          });
          await this.backups.prune(schedule.hostId, schedule.volume, schedule.keep);
          made += 1;
          await this.audit.record({
            actor: SYSTEM_ACTOR,
            action: 'volume.backup',
            target: `${schedule.hostId}/${schedule.volume}`,
            outcome: 'success',
            details: { id: backup.id, scheduled: true },
          });
        } catch (err) {
          error = errorMessage(err);
          this.logger.error(
            { volume: schedule.volume, host: schedule.hostId, err: error },
            'scheduled backup failed',
          );
          await this.audit.record({
            actor: SYSTEM_ACTOR,
            action: 'volume.backup',
            target: `${schedule.hostId}/${schedule.volume}`,
            outcome: 'failure',
            details: { error, scheduled: true },
          });
        }
        await this.schedules.recordRun(
          schedule.hostId,
          schedule.volume,
          new Date(this.now()).toISOString(),
          error,
        );
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
