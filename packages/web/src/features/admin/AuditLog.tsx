import { AuditOutcome } from '@berth/contract';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { Badge, Card } from '../../components/ui.js';
import '../../styles/resource-list.css';

/** "local/web (3f2a1b2c3d4e)", as the server writes a named target: the name, then the id. */
const NAMED_TARGET = /^(.*) \(([0-9a-f]{12,64})\)$/;

function AuditTarget({ target }: { target: string | null }) {
  if (target === null) return <>—</>;
  const named = NAMED_TARGET.exec(target);
  if (!named) return <>{target}</>;
  return (
    <>
      {named[1]} <code className="muted">{named[2]}</code>
    </>
  );
}

/** An entry's details in one line: `key: value`, values as JSON where they are not text. */
function auditDetails(details: Record<string, unknown> | null): string {
  if (!details) return '';
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('; ');
}

/** The audit log: who did what to which target, with what outcome; filtered, exportable. */
export function AuditLog() {
  const [filter, setFilter] = useState({ user: '', action: '', outcome: '' });
  // The filters set (an empty box filters nothing), for the page and its exports alike.
  const filters = {
    ...(filter.user ? { user: filter.user } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.outcome ? { outcome: AuditOutcome.parse(filter.outcome) } : {}),
  };
  const audit = useQuery({
    queryKey: ['audit', filters],
    queryFn: async () => (await client.audit.list({ query: { limit: 100, ...filters } })).entries,
  });
  return (
    <Card
      title="Audit log"
      actions={
        <span>
          <a href={client.audit.export.url({ query: { format: 'csv', ...filters } })}>CSV</a> ·{' '}
          <a href={client.audit.export.url({ query: { format: 'json', ...filters } })}>JSON</a>
        </span>
      }
    >
      <div className="filters">
        <input
          aria-label="Filter by user"
          placeholder="user"
          value={filter.user}
          onChange={(e) => setFilter({ ...filter, user: e.target.value })}
        />
        <input
          aria-label="Filter by action"
          placeholder="action or prefix (auth.)"
          value={filter.action}
          onChange={(e) => setFilter({ ...filter, action: e.target.value })}
        />
        <select
          aria-label="Filter by outcome"
          value={filter.outcome}
          onChange={(e) => setFilter({ ...filter, outcome: e.target.value })}
        >
          <option value="">any outcome</option>
          <option>success</option>
          <option>failure</option>
          <option>denied</option>
        </select>
      </div>
      <div className="audit-scroll" tabIndex={0} role="region" aria-label="Audit log entries">
        <table className="simple audit" data-testid="audit">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">User</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {audit.data?.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  No entries match.
                </td>
              </tr>
            )}
            {(audit.data ?? []).map((e) => (
              <tr key={e.id}>
                <td>
                  <time dateTime={e.at}>{new Date(e.at).toLocaleString()}</time>
                </td>
                <td>{e.username ?? '—'}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  <AuditTarget target={e.target} />
                </td>
                <td>
                  <Badge
                    tone={
                      e.outcome === 'success' ? 'good' : e.outcome === 'denied' ? 'warn' : 'bad'
                    }
                  >
                    {e.outcome}
                  </Badge>
                  {e.status !== null && <span className="muted"> {e.status}</span>}
                </td>
                <td className="audit-details">{auditDetails(e.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}
