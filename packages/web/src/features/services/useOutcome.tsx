import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { keys, useMe } from '../../api/queries.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import type { ServiceOutcome } from './ServiceDialogs.js';

/**
 * What a swarm page shares: whether the user may change things, the last action's outcome (its
 * docker command) or failure, and the lists re-read after a change.
 */
export function useOutcome(host: string) {
  const queryClient = useQueryClient();
  const me = useMe();
  const [outcome, setOutcome] = useState<ServiceOutcome | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const record = (result: ServiceOutcome): void => {
    setActionError(null);
    setOutcome(result);
    void queryClient.invalidateQueries({ queryKey: keys.swarmServices(host) });
    void queryClient.invalidateQueries({ queryKey: keys.swarmFiles(host) });
  };
  return {
    canWrite: me.data !== undefined && me.data.effectiveRole !== 'viewer',
    outcome,
    actionError,
    setActionError,
    record,
  };
}

export function OutcomeNotice({
  outcome,
  testId,
}: {
  outcome: ServiceOutcome | null;
  testId: string;
}) {
  if (!outcome) return null;
  return (
    <div className="notice svc-outcome" role="status" data-testid={testId}>
      {outcome.message}
      <CommandBlock command={outcome.cli} />
    </div>
  );
}
