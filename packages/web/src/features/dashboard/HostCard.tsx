import type { FleetHostSummary } from '@berth/contract';
import { Link } from 'react-router';
import { hostPath } from '../../app/host-paths.js';
import { age, clockTime } from '../../components/time.js';
import { Badge, countOf, formatBytes } from '../../components/ui.js';

const STATES = [
  ['running', 'good'],
  ['paused', 'warn'],
  ['restarting', 'warn'],
  ['stopped', 'bad'],
  ['unhealthy', 'bad'],
] as const;

/** Why a host cannot be reached and since when; how old the numbers below it are. */
function Unreachable({ host }: { host: FleetHostSummary }) {
  return (
    <div className="notice notice-stale" role="status" data-testid="host-unreachable">
      <strong>
        Unreachable since <time dateTime={host.since}>{clockTime(host.since)}</time> (
        {age(host.since)})
      </strong>
      {host.error && <span className="muted"> — {host.error}</span>}
      <div className="muted" data-testid="host-last-known">
        {host.stale?.since
          ? `Last known numbers, as of ${clockTime(host.stale.since)} (${age(host.stale.since)})`
          : 'Never reached: nothing is known of it yet'}
      </div>
    </div>
  );
}

function Capacity({ host }: { host: FleetHostSummary }) {
  const capacity = host.capacity;
  if (!capacity) return <p className="muted">Hardware profile not read yet</p>;
  const count = host.containers.total;
  return (
    <div className="host-capacity">
      <meter
        min={0}
        max={capacity.maxContainers}
        value={Math.min(count, capacity.maxContainers)}
        high={capacity.recommendedContainers}
        optimum={0}
        aria-label={`Containers on ${host.name} against its hardware limit`}
      />
      <p>
        {count} of {capacity.maxContainers} containers ({capacity.recommendedContainers}{' '}
        recommended)
      </p>
      <p className="muted" data-testid="hardware-profile">
        Sized for {countOf(capacity.cpus, 'CPU')} and {formatBytes(capacity.memoryBytes)} of memory:
        a {capacity.profile} host
        {capacity.profile === 'low-end' && capacity.cpus <= 2
          ? ' by its CPU count, whatever its memory'
          : ''}
        .
      </p>
    </div>
  );
}

/** One host of the fleet: its state, containers by state, capacity, updates and resources. */
export function HostCard({ host }: { host: FleetHostSummary }) {
  const at = (rest: string): string => hostPath(host.id, rest);
  const c = host.containers;
  return (
    <section
      className={`card host-card${host.reachable ? '' : ' host-card-down'}`}
      aria-labelledby={`host-${host.id}`}
      data-testid="host-card"
      data-host={host.id}
    >
      <header className="card-head host-card-head">
        <h2 id={`host-${host.id}`}>
          <Link to={at('containers')}>{host.name}</Link>
        </h2>
        <span className="host-card-badges">
          <Badge tone={host.reachable ? 'good' : 'bad'}>
            {host.reachable ? 'reachable' : 'unreachable'}
          </Badge>
          {host.insecure && <Badge tone="warn">insecure</Badge>}
        </span>
      </header>
      <p className="muted host-card-meta">
        {host.kind}
        {host.version && ` · Docker ${host.version}`}
        {host.reachable && host.latencyMs !== null && ` · ${Math.round(host.latencyMs)} ms`}
        {host.labels.map((l) => (
          <span key={l} className="chip chip-static">
            {l}
          </span>
        ))}
      </p>
      {!host.reachable && <Unreachable host={host} />}
      <p className="host-card-count">
        <Link to={at('containers')} className="big" data-testid="host-container-count">
          {c.total}
        </Link>{' '}
        {c.total === 1 ? 'container' : 'containers'}
        {!host.reachable && (
          <>
            {' '}
            <Badge tone="warn">last known</Badge>
          </>
        )}
      </p>
      <ul className="plain inline" aria-label={`Containers by state on ${host.name}`}>
        {STATES.filter(([state]) => c[state] > 0).map(([state, tone]) => (
          <li key={state}>
            <Badge tone={tone}>{state}</Badge> {c[state]}
          </li>
        ))}
      </ul>
      <Capacity host={host} />
      <ul className="plain inline host-card-links">
        <li>
          <Link to={at('images')}>{countOf(host.images, 'image')}</Link>
        </li>
        <li>
          <Link to={at('networks')}>{countOf(host.networks, 'network')}</Link>
        </li>
        <li>
          <Link to={at('volumes')}>{countOf(host.volumes, 'volume')}</Link>
        </li>
        <li>
          <Link to={at('stacks')}>{countOf(host.stacks, 'stack')}</Link>
        </li>
        <li>
          <Link to={at('images')} data-testid="host-updates">
            {countOf(host.updates, 'update')}
          </Link>
        </li>
      </ul>
    </section>
  );
}
