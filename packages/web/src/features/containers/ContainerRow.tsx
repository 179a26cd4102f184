import type { ContainerSummary, ProxyRoute } from '@berth/contract';
import { ScrollText, SquareTerminal } from 'lucide-react';
import type { CSSProperties } from 'react';
import { Link } from 'react-router';
import { age, longTime } from '../../components/time.js';
import { Badge, formatBytes, stateTone } from '../../components/ui.js';
import { ActionsMenu } from './ActionsMenu.js';
import { actionsFor, portBindings, type ContainerAction } from './container-actions.js';
import { StopCountdown } from './StopCountdown.js';
import type { ActionProgress } from './useActionProgress.js';
import type { LiveUsage } from './useVisibleStats.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { routesOfContainer } from '../proxy/proxy-view.js';
import { RouteLinks } from '../proxy/RouteLinks.js';

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

/** Live CPU and memory of a running container; nothing for one that is not running. */
function Usage({ running, usage }: { running: boolean; usage: LiveUsage | undefined }) {
  if (!running) return null;
  if (!usage)
    return (
      <span className="muted" data-testid="live-usage" data-state="waiting">
        …
      </span>
    );
  const limit = usage.memoryLimit > 0 ? ` of ${formatBytes(usage.memoryLimit)}` : '';
  return (
    <span
      className="live-usage"
      data-testid="live-usage"
      data-state="live"
      title={`CPU ${usage.cpuPercent.toFixed(1)} %, memory ${formatBytes(usage.memory)}${limit}`}
    >
      <span data-testid="live-cpu">{usage.cpuPercent.toFixed(1)} % CPU</span>
      <span className="muted" data-testid="live-memory">
        {formatBytes(usage.memory)}
      </span>
    </span>
  );
}

/** One row of the containers list: what it is, how it is, and what can be done to it now. */
export function ContainerRow({
  c,
  routes,
  style,
  canWrite,
  selected,
  progress,
  usage,
  onToggle,
  onAction,
}: {
  c: ContainerSummary;
  /** The host's proxy routes, when known: this container's show as links. */
  routes: readonly ProxyRoute[] | undefined;
  style: CSSProperties;
  canWrite: boolean;
  selected: boolean;
  progress: ActionProgress | undefined;
  usage: LiveUsage | undefined;
  onToggle: () => void;
  onAction: (action: ContainerAction) => void;
}) {
  const host = useCurrentHost();
  const ports = portBindings(c.ports);
  const ips = c.networks.map((n) => n.ipAddress).filter((ip): ip is string => ip !== null);
  const running = progress?.phase === 'running';
  const routed = routes ? routesOfContainer(routes, host, c) : [];
  return (
    <div
      role="row"
      className="tr tr-containers"
      style={style}
      data-testid="container-row"
      data-name={c.name}
    >
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
          <Link to={hostPath(host, `containers/${c.name}`)} title={c.name}>
            {c.name}
          </Link>{' '}
          {c.environment && <Badge tone="info">{c.environment}</Badge>}
        </span>
        {/* The second line: its stack, and its proxy routes (the first line is cut to fit). */}
        {(Boolean(c.composeProject) || routed.length > 0) && (
          <span className="muted">
            {c.composeProject && (
              <span title="Compose project / service">
                <Link to={hostPath(host, `stacks/${c.composeProject}`)}>{c.composeProject}</Link>/
                {c.composeService ?? '?'}{' '}
              </span>
            )}
            <RouteLinks routes={routed} compact />
          </span>
        )}
      </span>
      <span role="cell" className="stacked">
        <span title={c.status}>
          <Badge tone={stateTone(c.health ?? c.state)}>{c.health ?? c.state}</Badge>{' '}
          <span className="muted" data-testid="container-status">
            {c.status}
          </span>
        </span>
        {progress && progress.phase !== 'done' ? (
          <span className={progress.phase === 'failed' ? 'error-text' : 'muted'}>
            <span data-testid="row-progress">
              {progress.phase === 'running'
                ? progress.message
                : `${progress.action}: ${progress.message}`}
            </span>
            {progress.phase === 'running' && progress.killAt !== undefined && (
              <StopCountdown killAt={progress.killAt} />
            )}
          </span>
        ) : (
          <ExitFacts c={c} />
        )}
      </span>
      <span role="cell" className="c-wide">
        <Usage running={c.state === 'running'} usage={usage} />
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
      <span role="cell" className="c-wide" title={longTime.format(new Date(c.created))}>
        {age(c.created)}
      </span>
      <span role="cell" className="row-actions">
        <Link
          className="btn btn-small btn-quick"
          to={hostPath(host, `containers/${c.name}?tab=Logs`)}
          aria-label={`Logs of ${c.name}`}
          title="Logs"
        >
          <ScrollText size={16} aria-hidden />
        </Link>
        {canWrite && c.state === 'running' && (
          <Link
            className="btn btn-small btn-quick"
            to={hostPath(host, `containers/${c.name}?tab=Terminal`)}
            aria-label={`Terminal of ${c.name}`}
            title="Terminal"
          >
            <SquareTerminal size={16} aria-hidden />
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
