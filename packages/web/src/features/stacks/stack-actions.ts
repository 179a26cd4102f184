import type { StackOperationResult } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';

export type StackOperation = 'start' | 'stop' | 'restart' | 'down';

export const OPERATION_LABELS: Record<StackOperation, string> = {
  start: 'Start',
  stop: 'Stop',
  restart: 'Restart',
  down: 'Down…',
};
const DONE: Record<StackOperation, string> = {
  start: 'Started',
  stop: 'Stopped',
  restart: 'Restarted',
  down: 'Took down',
};

/** What was last done to a stack, said plainly, with its compose equivalent. */
export interface StackOutcome {
  ok: boolean;
  message: string;
  cli: string | null;
  failures: { service: string; message: string }[];
}

/** The outcome of an operation: which services failed and why. */
export function outcomeOf(stack: string, verb: string, result: StackOperationResult): StackOutcome {
  const failures = result.services
    .filter((s) => s.status === 'failed')
    .map((s) => ({ service: s.service, message: s.message ?? 'failed' }));
  return {
    ok: result.ok,
    message: result.ok ? `${verb} ${stack}` : `${verb} ${stack}: ${failures.length} failed`,
    cli: result.cli,
    failures,
  };
}

/**
 * Runs start, stop, restart, down, adopt and delete on the host's stacks, one at a time, and
 * keeps the last outcome (or error) for the page to show.
 */
export function useStackActions() {
  const host = useCurrentHost();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<StackOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const refresh = (name: string): Promise<void> =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: keys.stacks(host) }),
      queryClient.invalidateQueries({ queryKey: keys.containers(host) }),
    ]).then(() => queryClient.invalidateQueries({ queryKey: keys.stack(host, name) }));

  const guard = async (name: string, work: () => Promise<StackOutcome>): Promise<boolean> => {
    setBusy(name);
    setError(null);
    setOutcome(null);
    try {
      const done = await work();
      setOutcome(done);
      return done.ok;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(null);
      void refresh(name);
    }
  };
  const params = (name: string) => ({ host, name });

  return {
    busy,
    outcome,
    error,
    clear: () => {
      setOutcome(null);
      setError(null);
    },
    show: setOutcome,
    run: (name: string, op: StackOperation, removeVolumes = false) =>
      guard(name, async () => {
        const result =
          op === 'down'
            ? await client.stacks.down({ params: params(name), body: { removeVolumes } })
            : await client.stacks[op]({ params: params(name), body: {} });
        return outcomeOf(name, DONE[op], result);
      }),
    adopt: (name: string) =>
      guard(name, async () => {
        await client.stacks.adopt({ params: params(name) });
        return {
          ok: true,
          message: `Adopted ${name}: Berth manages it now`,
          cli: null,
          failures: [],
        };
      }),
    remove: (name: string, down: boolean, removeVolumes = false) =>
      guard(name, async () => {
        await client.stacks.remove({
          params: params(name),
          query: { down: down ? 'true' : 'false', volumes: removeVolumes ? 'true' : 'false' },
        });
        queryClient.removeQueries({ queryKey: keys.stack(host, name) });
        return {
          ok: true,
          message: removeVolumes ? `Deleted ${name} and its volumes` : `Deleted ${name}`,
          cli: null,
          failures: [],
        };
      }),
  };
}
export type StackActions = ReturnType<typeof useStackActions>;
