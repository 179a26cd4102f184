import { useCallback, useState } from 'react';
import { ApiError } from '../../api/client.js';
import { ACTION_PROGRESS, type ContainerAction } from './container-actions.js';
import { runAction } from './run-action.js';

/** Where one container's action is: running, or its result as it landed. */
export interface ActionProgress {
  name: string;
  action: ContainerAction;
  phase: 'running' | 'done' | 'failed';
  message: string;
  cli?: string;
}

/** Calls run at most this many at a time: a slow stop does not hold up the others. */
const CONCURRENCY = 3;

function failure(err: unknown): string {
  return err instanceof ApiError || err instanceof Error ? err.message : String(err);
}

/**
 * Runs an action on containers one call each, a few at a time, so each row shows its own
 * progress ("Stopping…") and result as it lands, not one message when the slowest is done.
 */
export function useActionProgress(onSettled: () => void) {
  const [progress, setProgress] = useState<Map<string, ActionProgress>>(new Map());
  const set = useCallback((id: string, value: ActionProgress): void => {
    setProgress((old) => new Map(old).set(id, value));
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
          try {
            const result = await runAction(item.id, action);
            set(item.id, {
              name: item.name,
              action,
              phase: 'done',
              message: 'done',
              cli: result.cli,
            });
          } catch (err) {
            set(item.id, { name: item.name, action, phase: 'failed', message: failure(err) });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
      onSettled();
    },
    [set, onSettled],
  );

  const clear = useCallback(() => setProgress(new Map()), []);
  const busy = (id: string): boolean => progress.get(id)?.phase === 'running';
  return { progress, run, clear, busy };
}
