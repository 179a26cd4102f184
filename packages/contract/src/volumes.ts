import { z } from 'zod';
import { StaleField } from './stale.js';
import { Labels } from './labels.js';
import { PruneLabel } from './images.js';

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const VolumeName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}$/, 'letters, digits and _ . - only');

export const VolumeSummary = z
  .object({
    name: z.string(),
    driver: z.string(),
    mountpoint: z.string(),
    scope: z.string(),
    createdAt: z.string().nullable(),
    labels: z.record(z.string(), z.string()),
    options: z.record(z.string(), z.string()),
    usedBy: z.array(
      z.object({ id: z.string(), name: z.string(), state: z.string(), destination: z.string() }),
    ),
    sizeBytes: z
      .number()
      .int()
      .nullable()
      .describe('Only with ?size=true: the engine computes it slowly'),
  })
  .meta({ id: 'VolumeSummary' });
export type VolumeSummary = z.infer<typeof VolumeSummary>;

export const VolumeList = z.object({ volumes: z.array(VolumeSummary), stale: StaleField });
export type VolumeList = z.infer<typeof VolumeList>;
export const VolumeListQuery = z.strictObject({
  size: Bool.default(false),
  unused: Bool.optional(),
});
export const VolumeParams = z.object({
  host: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63'),
  name: VolumeName,
});

export const VolumeCreate = z
  .strictObject({
    name: VolumeName.optional(),
    driver: z.string().min(1).max(128).default('local'),
    options: z.record(z.string().min(1).max(128), z.string().max(4096)).optional(),
    labels: Labels.optional(),
  })
  .meta({ id: 'VolumeCreate' });
export type VolumeCreate = z.infer<typeof VolumeCreate>;

export const VolumeRemoveQuery = z.strictObject({ force: Bool.optional() });
export const PruneVolumesRequest = z.strictObject({
  dryRun: z.boolean().default(true),
  label: PruneLabel,
});

export const BackupCreate = z
  .strictObject({
    stopContainers: z
      .boolean()
      .default(false)
      .describe(
        'Stop the containers using the volume during the copy (consistent), start them after',
      ),
  })
  .meta({ id: 'BackupCreate' });

export const VolumeBackup = z
  .object({
    id: z.string(),
    volume: z.string(),
    createdAt: z.iso.datetime(),
    sizeBytes: z.number().int(),
    files: z.number().int(),
    stoppedContainers: z.array(z.string()),
  })
  .meta({ id: 'VolumeBackup' });
export type VolumeBackup = z.infer<typeof VolumeBackup>;
export const BackupProblem = z.object({
  code: z.enum([
    'index_missing',
    'index_unreadable',
    'index_corrupt',
    'archive_missing',
    'archive_unreadable',
  ]),
  message: z.string(),
});
export type BackupProblem = z.infer<typeof BackupProblem>;
export const HealthyVolumeBackup = VolumeBackup.extend({ broken: z.literal(false) }).meta({
  id: 'HealthyVolumeBackup',
});
export type HealthyVolumeBackup = z.infer<typeof HealthyVolumeBackup>;
/** A backup whose files on disk cannot be read or make no sense: listed, with what is wrong. */
export const BrokenVolumeBackup = z
  .object({
    id: z.string(),
    volume: z.string(),
    broken: z.literal(true),
    problem: BackupProblem,
    createdAt: z.iso.datetime().nullable(),
    sizeBytes: z.number().int().nullable(),
  })
  .meta({ id: 'BrokenVolumeBackup' });
export type BrokenVolumeBackup = z.infer<typeof BrokenVolumeBackup>;
export const ListedVolumeBackup = z.discriminatedUnion('broken', [
  HealthyVolumeBackup,
  BrokenVolumeBackup,
]);
export type ListedVolumeBackup = z.infer<typeof ListedVolumeBackup>;
export const VolumeBackupList = z.object({
  backups: z
    .array(ListedVolumeBackup)
    .describe('Newest first; one that cannot be read is listed with `broken: true` and why'),
});
export type VolumeBackupList = z.infer<typeof VolumeBackupList>;
export const BackupParams = VolumeParams.extend({
  backupId: z.string().regex(/^[0-9A-Za-z-]{1,64}$/),
});

export const RestoreRequest = z
  .strictObject({
    target: VolumeName.optional().describe(
      'Restore into this volume (created if missing, must be empty); default: a new one',
    ),
  })
  .meta({ id: 'RestoreRequest' });

export const BackupSchedule = z
  .strictObject({
    everyHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 365),
    keep: z.number().int().min(1).max(1000),
    stopContainers: z.boolean().default(false),
  })
  .meta({ id: 'BackupSchedule' });
export type BackupSchedule = z.infer<typeof BackupSchedule>;

export const BackupScheduleView = BackupSchedule.extend({
  volume: z.string(),
  lastRunAt: z.string().nullable(),
  lastError: z.string().nullable(),
}).meta({ id: 'BackupScheduleView' });
export type BackupScheduleView = z.infer<typeof BackupScheduleView>;

export const RestoreResult = z
  .object({ volume: z.string(), files: z.number().int() })
  .meta({ id: 'RestoreResult' });
export type RestoreResult = z.infer<typeof RestoreResult>;

/** A volume just created, with the `docker volume create` that does the same. */
export const CreatedVolume = VolumeSummary.extend({ cli: z.string() }).meta({
  id: 'CreatedVolume',
});
export type CreatedVolume = z.infer<typeof CreatedVolume>;
/** A volume's backup schedule, or null when it has none. */
export const BackupScheduleAnswer = BackupScheduleView.nullable();
