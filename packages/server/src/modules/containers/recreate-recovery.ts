import { ContainersApi } from '../../docker/containers-api.js';
import { EngineRequestError } from '../../docker/engine-errors.js';
import type { EngineHost } from '../../docker/engine-hosts.js';
import type { RecoveryResult } from '../journal/journal-recovery.js';
import type { JournalEntry, JournalKinds } from '../journal/operation-journal.js';
import type { EnvironmentsRepository } from './environments-repository.js';

type RecreateData = JournalKinds['recreate']['data'];

async function removeIfPresent(api: ContainersApi, id: string): Promise<void> {
  try {
    await api.remove(id, { force: true });
  } catch (err) {
    if (err instanceof EngineRequestError && err.statusCode === 404) return;
    throw err;
  }
}

/**
 * Brings a recreate to one of its two ends from what the engine holds now, whatever step it
 * stopped at: exactly one container under the user's name, nothing left aside.
 *
 * - Finished (only when `mayFinish`, i.e. the new container passed its validation, or when the
 *   old one is gone anyway): the old container is removed and the environment tag moves over.
 * - Rolled back: the new container (whatever holds the name that is not the old one) is
 *   removed, the old one gets its name back and is started again if it was running.
 *
 * Each action checks the engine first, so running it twice, or after a crash halfway through,
 * ends the same way. The same function is the recreate's own rollback and finish.
 */
export async function settleRecreate(
  api: ContainersApi,
  environments: EnvironmentsRepository,
  hostId: string,
  data: RecreateData,
  mayFinish: boolean,
): Promise<RecoveryResult> {
  const old = await api.find(data.oldId);
  const holder = await api.find(data.newName);
  const replacement = holder && holder.Id !== data.oldId ? holder : undefined;
  if (replacement && (mayFinish || !old)) {
    if (old) await removeIfPresent(api, old.Id);
    await environments.set(hostId, replacement.Id, data.environment);
    await environments.set(hostId, data.oldId, null);
    return { outcome: 'finished', target: data.newName, details: { container: replacement.Id } };
  }
  if (replacement) await removeIfPresent(api, replacement.Id);
  if (!old) {
    return { outcome: 'rolled-back', target: data.name, details: { lost: 'no container is left' } };
  }
  if (old.Name !== `/${data.name}`) await api.rename(old.Id, data.name);
  const started = data.wasRunning && !old.State.Running;
  if (started) await api.start(old.Id);
  return {
    outcome: 'rolled-back',
    target: data.name,
    details: { container: old.Id, removed: replacement?.Id ?? null, started },
  };
}

/** The recovery of a recreate a dead process left: finished only if it had passed validation. */
export function recreateRecoverer(environments: EnvironmentsRepository) {
  return (host: EngineHost, entry: JournalEntry<'recreate'>): Promise<RecoveryResult> =>
    settleRecreate(
      new ContainersApi(host.client),
      environments,
      host.id,
      entry.data,
      entry.step === 'removing-old',
    );
}
