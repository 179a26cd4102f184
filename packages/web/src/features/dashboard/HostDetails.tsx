import { useContainers, useHostInfo, useRecentEvents } from '../../api/queries.js';
import { Badge, Card, formatBytes } from '../../components/ui.js';
import { TotalsMetrics } from '../monitoring/TotalsMetrics.js';

/**
 * What the fleet summary does not carry, for the host the user is on: its memory, its
 * containers' environments and its recent events, all kept live by its event stream.
 */
export function HostDetails({ host, title }: { host: string; title: string }) {
  const info = useHostInfo(host);
  const containers = useContainers(host);
  const events = useRecentEvents(host);
  const memory = info.data?.memory;
  const byEnvironment = new Map<string, number>();
  for (const c of containers.data ?? []) {
    const env = c.environment ?? 'untagged';
    byEnvironment.set(env, (byEnvironment.get(env) ?? 0) + 1);
  }
  return (
    <section aria-labelledby="host-details" className="host-details">
      <h2 id="host-details" className="section-title">
        {title}
      </h2>
      <TotalsMetrics host={host} compact />
      <div className="grid">
        <Card title="Memory">
          {memory ? (
            <>
              <meter
                min={0}
                max={memory.totalBytes}
                value={memory.usedBytes}
                high={memory.totalBytes * 0.9}
                aria-label="Host memory in use"
              />
              <p data-testid="host-memory">
                Memory: {formatBytes(memory.usedBytes)} used of {formatBytes(memory.totalBytes)};{' '}
                {formatBytes(memory.availableBytes)} available, counting{' '}
                {formatBytes(memory.cacheBytes)} of page cache the kernel gives back on demand
              </p>
            </>
          ) : (
            <p className="muted">{info.isPending ? '…' : 'Not known while it is unreachable'}</p>
          )}
        </Card>
        <Card title="Environments">
          <ul className="plain inline">
            {containers.data?.length === 0 && <li className="muted">No containers yet</li>}
            {[...byEnvironment].map(([env, n]) => (
              <li key={env}>
                <Badge tone="info">{env}</Badge> {n}
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Recent events">
          {/* It scrolls once events pile up, so it takes keyboard focus (as the audit log). */}
          <div className="events" tabIndex={0} role="region" aria-label="Recent events">
            <ol className="plain">
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
          </div>
        </Card>
      </div>
    </section>
  );
}
