import type { StackOperationResult, StackPlan, StreamStackProgress } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { client } from '../../api/client.js';
import { onStackProgress } from '../../api/live.js';
import { keys } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Dialog } from '../../components/Dialog.js';
import { Button } from '../../components/ui.js';
import { isStalePlan, PlanStatus } from './PlanStatus.js';
import { PlanView } from './PlanView.js';
import { outcomeOf, type StackOutcome } from './stack-actions.js';

type Step = Pick<StreamStackProgress, 'step' | 'message'>;

/** The latest step of each service (and of the stack as a whole, under '') while up runs. */
function useProgress(stack: string | null, active: boolean): Map<string, Step> {
  const host = useCurrentHost();
  const [steps, setSteps] = useState<Map<string, Step>>(new Map());
  useEffect(() => {
    if (!stack || !active) return undefined;
    setSteps(new Map());
    return onStackProgress((m) => {
      if (m.host !== host || m.stack !== stack || m.operation !== 'up') return;
      setSteps((was) => new Map(was).set(m.service ?? '', { step: m.step, message: m.message }));
    });
  }, [stack, active, host]);
  return steps;
}

/**
 * Deploy = plan, then apply exactly that plan: the side panel shows what up would do per
 * service (create, recreate with the fields that differ, start, unchanged, remove) and the
 * resources, applies it on request, follows each service's progress, then tells the outcome.
 * A plan made stale by a change meanwhile (409) can be made again.
 */
export function DeployPanel({
  stack,
  onClose,
  onApplied,
}: {
  stack: string | null;
  onClose: () => void;
  onApplied?: (outcome: StackOutcome) => void;
}) {
  const host = useCurrentHost();
  const queryClient = useQueryClient();
  const [plan, setPlan] = useState<StackPlan | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [phase, setPhase] = useState<'planning' | 'plan' | 'applying' | 'done'>('planning');
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<StackOperationResult | null>(null);
  const steps = useProgress(stack, phase === 'applying');

  useEffect(() => {
    if (!stack) return undefined;
    let current = true;
    setPhase('planning');
    setPlan(null);
    setResult(null);
    setError(null);
    client.stacks
      .plan({ params: { host, name: stack }, body: {} })
      .then((made) => {
        if (!current) return;
        setPlan(made);
        setPhase('plan');
      })
      .catch((err: unknown) => {
        if (!current) return;
        setError(err);
        setPhase('plan');
      });
    return () => {
      current = false;
    };
  }, [stack, attempt, host]);

  const apply = async (): Promise<void> => {
    if (!stack || !plan) return;
    setPhase('applying');
    setError(null);
    try {
      const done = await client.stacks.up({
        params: { host, name: stack },
        body: { planId: plan.planId },
      });
      setResult(done);
      onApplied?.(outcomeOf(stack, 'Deployed', done));
    } catch (err) {
      setError(err);
    } finally {
      setPhase('done');
      void queryClient.invalidateQueries({ queryKey: keys.stacks(host) });
      void queryClient.invalidateQueries({ queryKey: keys.containers(host) });
    }
  };
  const stale = isStalePlan(error);
  const conflicts = plan?.resources.filter((r) => r.action === 'conflict').length ?? 0;

  return (
    <Dialog
      side
      title={`Deploy ${stack ?? ''}`}
      open={stack !== null}
      onOpenChange={(open) => {
        if (!open && phase !== 'applying') onClose();
      }}
    >
      <div data-testid="deploy-panel">
        <PlanStatus
          planning={phase === 'planning'}
          error={error}
          onPlanAgain={() => setAttempt((n) => n + 1)}
        />
        {conflicts > 0 && (
          <div className="notice notice-bad" role="alert" data-testid="plan-conflicts">
            {conflicts === 1 ? 'One conflict stops' : `${conflicts} conflicts stop`} this plan: fix
            the stack's files (see Resources below), then plan again.
          </div>
        )}
        {plan && (
          <PlanView
            plan={plan}
            steps={phase === 'applying' || result ? steps : undefined}
            outcomes={result?.services}
          />
        )}
        {result && (
          <div
            className={`notice${result.ok ? '' : ' notice-bad'}`}
            role="status"
            data-testid="deploy-result"
          >
            {result.ok ? 'Deployed.' : 'The deploy failed: see the services above.'}
          </div>
        )}
        {result && <CommandBlock command={result.cli} />}
        <div className="dialog-actions">
          {phase === 'done' ? (
            <Button variant="primary" onClick={onClose}>
              Done
            </Button>
          ) : (
            <>
              <Button onClick={onClose} disabled={phase === 'applying'}>
                Cancel
              </Button>
              <Button
                variant="primary"
                disabled={phase !== 'plan' || !plan || stale || conflicts > 0}
                onClick={() => void apply()}
              >
                {phase === 'applying'
                  ? 'Applying…'
                  : plan?.unchanged
                    ? 'Apply (no change)'
                    : 'Apply'}
              </Button>
            </>
          )}
        </div>
      </div>
    </Dialog>
  );
}
