import { Link } from 'react-router';
import {
  useContainers,
  useHostInfo,
  useHosts,
  useImages,
  useNetworks,
  useRecentEvents,
  useUpdates,
  useVolumes,
} from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import {
  Badge,
  Card,
  countOf,
  ErrorNotice,
  formatBytes,
  Page,
  stateTone,
} from '../../components/ui.js';

/** Everything at a glance, kept live by the host's event stream. */
export function DashboardPage() {
  const hosts = useHosts();
  const host = useCurrentHost();
  const info = useHostInfo(host);
  const containers = useContainers(host);
  const images = useImages(host);
  const networks = useNetworks(host);
  const volumes = useVolumes(host);
  const updates = useUpdates(host);
  const events = useRecentEvents(host);

  const byState = new Map<string, number>();
  const byEnvironment = new Map<string, number>();
  for (const c of containers.data ?? []) {
    byState.set(c.state, (byState.get(c.state) ?? 0) + 1);
    byEnvironment.set(
      c.environment ?? 'untagged',
      (byEnvironment.get(c.environment ?? 'untagged') ?? 0) + 1,
    );
  }
  const hardware = info.data?.hardware;
  const memory = info.data?.memory;
  const count = containers.data?.length ?? 0;
  const capacity = hardware ? Math.min(100, Math.round((count / hardware.maxContainers) * 100)) : 0;
  const available = (updates.data ?? []).filter((u) => u.status === 'update-available').length;

  return (
    <Page title="Dashboard">
      <ErrorNotice error={hosts.error ?? containers.error} />
      <div className="grid">
        <Card title="Hosts">
          <ul className="plain">
            {(hosts.data ?? []).map((h) => (
              <li key={h.id}>
                <Badge tone={h.reachable ? 'good' : 'bad'}>
                  {h.reachable ? 'reachable' : 'unreachable'}
                </Badge>{' '}
                {h.name} {h.version ? `· Docker ${h.version}` : h.error}
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Containers" actions={<Link to="/containers">All containers</Link>}>
          {/* Not "0" while the list is still on its way. */}
          <p className="big" data-testid="container-count">
            {containers.data ? count : '…'}
          </p>
          <ul className="plain inline">
            {[...byState].map(([state, n]) => (
              <li key={state}>
                <Badge tone={stateTone(state)}>{state}</Badge> {n}
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Capacity">
          {hardware ? (
            <>
              <meter
                min={0}
                max={100}
                value={capacity}
                aria-label="Containers against the hardware limit"
              />
              <p>
                {count} of {hardware.maxContainers} containers ({hardware.recommendedContainers}{' '}
                recommended)
              </p>
              <p className="muted" data-testid="hardware-profile">
                Sized for {countOf(hardware.cpus, 'CPU')} and {formatBytes(hardware.memoryBytes)} of
                memory: a {hardware.profile} host
                {hardware.profile === 'low-end' && hardware.cpus <= 2
                  ? ' by its CPU count, whatever its memory'
                  : ''}
                .
              </p>
              {memory && (
                <>
                  <meter
                    min={0}
                    max={memory.totalBytes}
                    value={memory.usedBytes}
                    high={memory.totalBytes * 0.9}
                    aria-label="Host memory in use"
                  />
                  <p data-testid="host-memory">
                    Memory: {formatBytes(memory.usedBytes)} used of {formatBytes(memory.totalBytes)}
                    ; {formatBytes(memory.availableBytes)} available, counting{' '}
                    {formatBytes(memory.cacheBytes)} of page cache the kernel gives back on demand
                  </p>
                </>
              )}
            </>
          ) : (
            <p>…</p>
          )}
        </Card>
        <Card title="Resources">
          <ul className="plain">
            <li>
              <Link to="/images">
                {images.data ? countOf(images.data.length, 'image') : '… images'}
              </Link>
            </li>
            <li>
              <Link to="/networks">
                {networks.data ? countOf(networks.data.length, 'network') : '… networks'}
              </Link>
            </li>
            <li>
              <Link to="/volumes">
                {volumes.data ? countOf(volumes.data.length, 'volume') : '… volumes'}
              </Link>
            </li>
            <li>{updates.data ? `${countOf(available, 'image update')} available` : '…'}</li>
          </ul>
        </Card>
        <Card title="Environments">
          <ul className="plain inline">
            {byEnvironment.size === 0 && <li className="muted">No containers yet</li>}
            {[...byEnvironment].map(([env, n]) => (
              <li key={env}>
                <Badge tone="info">{env}</Badge> {n}
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Recent events">
          <ol className="plain events">
            {events.data?.length === 0 && (
              <li className="muted">Nothing has happened on this engine since Berth started</li>
            )}
            {(events.data ?? []).map((e, i) => (
              <li key={`${e.time}-${i}`}>
                <time dateTime={e.time}>{new Date(e.time).toLocaleTimeString()}</time> {e.type}{' '}
                {e.action} {e.name ?? e.id.slice(0, 12)}
              </li>
            ))}
          </ol>
        </Card>
      </div>
    </Page>
  );
}
