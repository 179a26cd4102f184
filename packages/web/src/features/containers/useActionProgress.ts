import { useCallback, useState } from 'react';
import { ApiError, client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ACTION_PROGRESS, type ContainerAction } from './container-actions.js';
import { runAction } from './run-action.js';

/** Where one container's action is: running, or its result as it landed. */
export interface ActionProgress {
  name: string;
  action: ContainerAction;
  phase: 'running' | 'done' | 'failed';
  message: string;
  cli?: string;
  /** A stop (or restart) that waits for its timeout: when the engine kills it (epoch ms). */
  killAt?: number;
}

/** Calls run at most this many at a time: a slow stop does not hold up the others. */
const CONCURRENCY = 3;
/** The engine's stop timeout when the container sets none. */
export const DEFAULT_STOP_TIMEOUT_S = 10;

function failure(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}

/** The actions that send SIGTERM and wait up to the container's stop timeout. */
export const waitsForStop = (action: ContainerAction): boolean =>
  action === 'stop' || action === 'restart';

/** The container's stop timeout (its StopTimeout, else the engine's 10 s). */
async function stopTimeoutOf(host: string, id: string): Promise<number> {
  const detail = await client.containers.get({ params: { host, id } });
  return detail.spec.stopTimeoutS ?? DEFAULT_STOP_TIMEOUT_S;
}

/**
 * Runs an action on containers one call each, a few at a time, so each row shows its own
 * progress ("Stopping…", with the stop timeout counting down) and result as it lands, not one
 * message when the slowest is done.
 */
export function useActionProgress(onSettled: () => void) {
  const host = useCurrentHost();
  const [progress, setProgress] = useState<Map<string, ActionProgress>>(new Map());
  const set = useCallback((id: string, value: ActionProgress): void => {
    setProgress((old) => new Map(old).set(id, value));
  }, []);
  const update = useCallback((id: string, change: (old: ActionProgress) => ActionProgress) => {
    setProgress((old) => {
      const current = old.get(id);
      return current ? new Map(old).set(id, change(current)) : old;
    });
  }, []);

  const run = useCallback(
    async (items: { id: string; name: string }[], action: ContainerAction): Promise<void> => {
      const queue = [...items];
      for (const item of items)
        set(item.id, {
          name: item.name,
          action,
          phase: 'running',
          message: ACTION_PROGRESS[action],
        });
      const worker = async (): Promise<void> => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          const { id, name } = item;
          const started = Date.now();
          if (waitsForStop(action))
            // The countdown is a courtesy: without it the row still says "Stopping…".
            stopTimeoutOf(host, id).then(
              (seconds) =>
                update(id, (p) =>
                  p.phase === 'running' ? { ...p, killAt: started + seconds * 1000 } : p,
                ),
              () => undefined,
            );
          try {
            const result = await runAction(host, id, action);
            set(id, { name, action, phase: 'done', message: 'done', cli: result.cli });
          } catch (err) {
            set(id, { name, action, phase: 'failed', message: failure(err) });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
      onSettled();
    },
    [set, update, onSettled, host],
  );

  const clear = useCallback(() => setProgress(new Map()), []);
  const busy = (id: string): boolean => progress.get(id)?.phase === 'running';
  return { progress, run, clear, busy };
}
