import type { SwarmStackDeployResult, SwarmStackPlan } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Dialog } from '../../components/Dialog.js';
import { Button } from '../../components/ui.js';
import { PlanStatus } from '../stacks/PlanStatus.js';
import { swarmStackKeys } from './swarm-stack-queries.js';
import { SwarmPlanView } from './SwarmPlanView.js';

/**
 * Deploy a Berth stack to the swarm as `docker stack deploy` does: the plan first (creates,
 * updates with the fields that change, removals with prune, what swarm will not honour),
 * then exactly that plan applied, object by object, with the equivalent command.
 */
export function DeployToSwarmPanel({
  stack,
  onClose,
}: {
  stack: string | null;
  onClose: () => void;
}) {
  const host = useCurrentHost();
  const queryClient = useQueryClient();
  const pruneId = useId();
  const [prune, setPrune] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [plan, setPlan] = useState<SwarmStackPlan | null>(null);
  const [phase, setPhase] = useState<'planning' | 'plan' | 'applying' | 'done'>('planning');
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<SwarmStackDeployResult | null>(null);

  useEffect(() => {
    if (!stack) return undefined;
    let current = true;
    setPhase('planning');
    setPlan(null);
    setResult(null);
    setError(null);
    client.swarmStacks
      .plan({ params: { host, name: stack }, body: { source: { stack }, prune } })
      .then((made) => {
        if (current) setPlan(made);
      })
      .catch((err: unknown) => {
        if (current) setError(err);
      })
      .finally(() => {
        if (current) setPhase('plan');
      });
    return () => {
      current = false;
    };
  }, [stack, host, prune, attempt]);

  const apply = async (): Promise<void> => {
    if (!stack || !plan) return;
    setPhase('applying');
    setError(null);
    try {
      setResult(
        await client.swarmStacks.deploy({
          params: { host, name: stack },
          body: { source: { stack }, prune, planId: plan.planId },
        }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setPhase('done');
      void queryClient.invalidateQueries({ queryKey: swarmStackKeys.list(host) });
    }
  };
  const conflicts = plan?.objects.filter((o) => o.action === 'conflict').length ?? 0;

  return (
    <Dialog
      side
      title={`Deploy ${stack ?? ''} to the swarm`}
      open={stack !== null}
      onOpenChange={(open) => {
        if (!open && phase !== 'applying') onClose();
      }}
    >
      <div data-testid="swarm-deploy-panel">
        <p className="muted">
          As the swarm stack <code>{stack}</code>: services, networks, secrets and configs named{' '}
          <code>{stack}_…</code>, seen by <code>docker stack ls</code>.
        </p>
        <label className="swarm-prune" htmlFor={pruneId}>
          <input
            id={pruneId}
            type="checkbox"
            checked={prune}
            disabled={phase === 'applying' || result !== null}
            onChange={(e) => setPrune(e.target.checked)}
          />{' '}
          Remove what the files no longer have (prune)
        </label>
        <PlanStatus
          planning={phase === 'planning'}
          error={error}
          onPlanAgain={() => setAttempt((n) => n + 1)}
        />
        {conflicts > 0 && (
          <div className="notice notice-bad" role="alert">
            {conflicts === 1 ? 'One conflict stops' : `${conflicts} conflicts stop`} this deploy:
            see below.
          </div>
        )}
        {plan && <SwarmPlanView plan={plan} results={result?.results} />}
        {result && (
          <div
            className={`notice${result.ok ? '' : ' notice-bad'}`}
            role="status"
            data-testid="swarm-deploy-result"
          >
            {result.ok ? 'Deployed to the swarm.' : 'Some objects failed: see above.'}
          </div>
        )}
        <CommandBlock command={result?.cli ?? plan?.cli} />
        <div className="dialog-actions">
          {phase === 'done' ? (
            <Button variant="primary" onClick={onClose}>
              Close
            </Button>
          ) : (
            <>
              <Button onClick={onClose} disabled={phase === 'applying'}>
                Cancel
              </Button>
              <Button
                variant="primary"
                disabled={!plan || phase !== 'plan' || conflicts > 0 || plan.unchanged}
                onClick={() => void apply()}
              >
                {phase === 'applying' ? 'Deploying…' : 'Deploy'}
              </Button>
            </>
          )}
        </div>
      </div>
    </Dialog>
  );
}
