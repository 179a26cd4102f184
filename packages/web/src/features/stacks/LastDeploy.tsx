import type { StackSummary } from '@berth/contract';
import { age, longTime } from '../../components/time.js';

/** When a stack was last deployed, whether it worked and by whom ("never" before the first). */
export function LastDeploy({
  deploy,
  prefix = '',
}: {
  deploy: StackSummary['lastDeploy'];
  prefix?: string;
}) {
  if (!deploy) return <span className="muted">{prefix ? `never ${prefix}` : 'never'}</span>;
  return (
    <span title={longTime.format(new Date(deploy.at))} data-testid="last-deploy">
      {prefix && <span className="muted">{prefix} </span>}
      <time dateTime={deploy.at}>{age(deploy.at)}</time>
      {!deploy.ok && <span className="error-text"> (failed)</span>}
      {deploy.by && <span className="muted"> by {deploy.by}</span>}
    </span>
  );
}
