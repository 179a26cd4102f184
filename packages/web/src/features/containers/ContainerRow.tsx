import type { ContainerSummary } from '@berth/contract';
import type { CSSProperties } from 'react';
import { Link } from 'react-router';
import { Badge, stateTone } from '../../components/ui.js';
import { ActionsMenu } from './ActionsMenu.js';
import { actionsFor, portBindings, type ContainerAction } from './container-actions.js';
import type { ActionProgress } from './useActionProgress.js';

const shortTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

/** Exit code, finish time, restarts and the OOM flag of a container that ran and ended. */
export function ExitFacts({
  c,
}: {
  c: Pick<ContainerSummary, 'exitCode' | 'finishedAt' | 'restartCount' | 'oomKilled'>;
}) {
  if (c.exitCode === null && c.restartCount === 0 && !c.oomKilled) return null;
  return (
    <span className="muted exit-facts" data-testid="exit-facts">
      {c.exitCode !== null && <>exit {c.exitCode}</>}
      {c.exitCode !== null && c.finishedAt && (
        <> · finished {shortTime.format(new Date(c.finishedAt))}</>
      )}
      {c.restartCount > 0 && <> · {c.restartCount} restarts</>}
      {c.oomKilled && (
        <>
          {' '}
          <Badge tone="bad">OOM killed</Badge>
        </>
      )}
    </span>
  );
}

/** One row of the containers list: what it is, how it is, and what can be done to it now. */
export function ContainerRow({
  c,
  style,
  canWrite,
  selected,
  progress,
  onToggle,
  onAction,
}: {
  c: ContainerSummary;
  style: CSSProperties;
  canWrite: boolean;
  selected: boolean;
  progress: ActionProgress | undefined;
  onToggle: () => void;
  onAction: (action: ContainerAction) => void;
}) {
  const ports = portBindings(c.ports);
  const ips = c.networks.map((n) => n.ipAddress).filter((ip): ip is string => ip !== null);
  const running = progress?.phase === 'running';
  return (
    <div role="row" className="tr" style={style} data-testid="container-row" data-name={c.name}>
      <span role="cell" className="c-check">
        {canWrite && (
          <input
            type="checkbox"
            aria-label={`Select ${c.name}`}
            checked={selected}
            onChange={onToggle}
          />
        )}
      </span>
      <span role="cell" className="stacked">
        <span>
          <Link to={`/containers/${c.name}`}>{c.name}</Link>{' '}
          {c.environment && <Badge tone="info">{c.environment}</Badge>}
        </span>
        {c.composeProject && (
          <span className="muted" title="Compose project / service">
            {c.composeProject}/{c.composeService ?? '?'}
          </span>
        )}
      </span>
      <span role="cell" className="stacked">
        <span>
          <Badge tone={stateTone(c.health ?? c.state)}>{c.health ?? c.state}</Badge>{' '}
          <span className="muted" data-testid="container-status">
            {c.status}
          </span>
        </span>
        {progress && progress.phase !== 'done' ? (
          <span
            className={progress.phase === 'failed' ? 'error-text' : 'muted'}
            data-testid="row-progress"
          >
            {progress.phase === 'running'
              ? progress.message
              : `${progress.action}: ${progress.message}`}
          </span>
        ) : (
          <ExitFacts c={c} />
        )}
      </span>
      <span role="cell" className="c-wide" title={c.image}>
        {c.image}
      </span>
      <span role="cell" className="c-wide" title={ips.join(', ')}>
        {ips.join(', ')}
      </span>
      <span role="cell" className="c-wide" data-testid="container-ports" title={ports.join(', ')}>
        {ports.join(', ')}
      </span>
      <span role="cell" className="c-wide" title={c.created}>
        {shortTime.format(new Date(c.created))}
      </span>
      <span role="cell" className="row-actions">
        <Link
          className="btn btn-small"
          to={`/containers/${c.name}?tab=Logs`}
          aria-label={`Logs of ${c.name}`}
        >
          Logs
        </Link>
        {canWrite && c.state === 'running' && (
          <Link
            className="btn btn-small"
            to={`/containers/${c.name}?tab=Terminal`}
            aria-label={`Terminal of ${c.name}`}
          >
            Terminal
          </Link>
        )}
        {canWrite && (
          <ActionsMenu
            label={`Actions for ${c.name}`}
            actions={actionsFor(c.state)}
            disabled={running}
            onAction={onAction}
          />
        )}
      </span>
    </div>
  );
}
