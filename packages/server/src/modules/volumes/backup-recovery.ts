import { rm, stat } from 'node:fs/promises';
import { ContainersApi } from '../../docker/containers-api.js';
import type { EngineHost } from '../../docker/engine-hosts.js';
import { VolumesApi } from '../../docker/volumes-api.js';
import type { RecoveryResult } from '../journal/journal-recovery.js';
import type { JournalEntry, JournalKinds } from '../journal/operation-journal.js';
import type { VolumeHelper } from './volume-helper.js';

/**
 * Ends a backup from what is on disk and in the engine, wherever it stopped: its helper goes,
 * an archive without its metadata file (never complete) is deleted, and every container Berth
 * stopped for it runs again. Idempotent; also the backup's own cleanup.
 */
export async function settleBackup(
  host: EngineHost,
  helper: VolumeHelper,
  operation: string,
  data: JournalKinds['backup']['data'],
): Promise<RecoveryResult> {
  const helpers = await helper.removeFor(host, operation);
  const complete = (await stat(data.meta).catch(() => null)) !== null;
  if (!complete) await rm(data.archive, { force: true });
  await rm(`${data.meta}.tmp`, { force: true });
  const api = new ContainersApi(host.client);
  const restarted: string[] = [];
  for (const id of data.stopped) {
    const container = await api.find(id);
    if (!container || container.State.Running) continue;
    await api.start(id);
    restarted.push(container.Name.replace(/^\//, ''));
  }
  return {
    outcome: complete ? 'finished' : 'rolled-back',
    target: data.volume,
    details: { helpersRemoved: helpers, archiveRemoved: !complete, restarted },
  };
}

/**
 * Ends a restore: its helpers go and, unless the copy had completed, a volume the restore
 * created is removed again (a half-filled volume must not pass for a restored one). A restore
 * into an existing empty volume cannot be undone that way; the audit entry says so.
 */
export async function settleRestore(
  host: EngineHost,
  helper: VolumeHelper,
  operation: string,
  data: JournalKinds['restore']['data'],
  complete: boolean,
): Promise<RecoveryResult> {
  const helpers = await helper.removeFor(host, operation);
  const volumes = new VolumesApi(host.client);
  const removeVolume = !complete && data.createdVolume && (await volumes.find(data.target));
  if (removeVolume) await volumes.remove(data.target, false);
  return {
    outcome: complete ? 'finished' : 'rolled-back',
    target: data.target,
    details: {
      helpersRemoved: helpers,
      volumeRemoved: Boolean(removeVolume),
      ...(!complete && !data.createdVolume
        ? { partial: 'the volume may hold part of the backup' }
        : {}),
    },
  };
}

export function backupRecoverer(helper: VolumeHelper) {
  return (host: EngineHost, entry: JournalEntry<'backup'>): Promise<RecoveryResult> =>
    settleBackup(host, helper, entry.id, entry.data);
}

export function restoreRecoverer(helper: VolumeHelper) {
  return (host: EngineHost, entry: JournalEntry<'restore'>): Promise<RecoveryResult> =>
    settleRestore(host, helper, entry.id, entry.data, entry.step === 'cleaning-up');
}
