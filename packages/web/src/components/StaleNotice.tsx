import { useListStaleness, type ListKind } from '../api/queries.js';

function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

/** Says so when a list is the last known one of an engine that cannot be reached right now. */
export function StaleNotice({ kind, host }: { kind: ListKind; host: string }) {
  const stale = useListStaleness(kind, host);
  if (!stale) return null;
  return (
    <div className="notice notice-stale" role="status" data-testid={`${kind}-stale`}>
      <strong>
        {stale.since
          ? `Engine unreachable — showing the list as of ${clockTime(stale.since)}`
          : 'Engine unreachable — it has not been reached yet, so nothing is listed'}
      </strong>
      <span className="muted"> ({stale.reason})</span>
    </div>
  );
}
