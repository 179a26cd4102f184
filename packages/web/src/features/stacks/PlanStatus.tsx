import { ApiError } from '../../api/client.js';
import { Button, ErrorNotice } from '../../components/ui.js';

/** A plan the server no longer holds, or one made before the files changed: plan again. */
export const isStalePlan = (error: unknown): boolean =>
  error instanceof ApiError && (error.code === 'plan_outdated' || error.code === 'plan_unknown');

/**
 * Where a deploy panel's plan stands: being made, out of date (with "Plan again"), or failed.
 * Shared by a stack's deploy and its deploy to a swarm.
 */
export function PlanStatus({
  planning,
  error,
  onPlanAgain,
}: {
  planning: boolean;
  error: unknown;
  onPlanAgain: () => void;
}) {
  return (
    <>
      {planning && (
        <p className="loading" role="status">
          Planning…
        </p>
      )}
      {isStalePlan(error) ? (
        <div className="notice notice-bad" role="alert">
          This plan is out of date, nothing was applied. {(error as ApiError).message}.{' '}
          <Button onClick={onPlanAgain}>Plan again</Button>
        </div>
      ) : (
        <ErrorNotice error={error} />
      )}
    </>
  );
}
