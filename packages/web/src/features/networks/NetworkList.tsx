import type { NetworkSummary } from '@berth/contract';
import { MoreHorizontal } from 'lucide-react';
import { Menu, type MenuItem } from '../../components/Menu.js';
import { Badge, EmptyRow } from '../../components/ui.js';

const shortDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** The networks of the host, one row each, with what can be done to each in its menu. */
export function NetworkList({
  networks,
  total,
  canWrite,
  onOpen,
  onRemove,
}: {
  networks: NetworkSummary[];
  /** How many there are before the filters: "no match" and "none yet" read differently. */
  total: number;
  canWrite: boolean;
  onOpen: (panel: 'details' | 'connect' | 'document', network: NetworkSummary) => void;
  onRemove: (network: NetworkSummary) => void;
}) {
  return (
    <div className="list-scroll">
      <table className="list" aria-label="Networks" data-testid="network-list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Driver</th>
            <th scope="col" className="c-wide">
              Scope
            </th>
            <th scope="col" className="c-wide">
              Subnet / gateway
            </th>
            <th scope="col">Members</th>
            <th scope="col" className="c-wide">
              Created
            </th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {networks.length === 0 && (
            <EmptyRow
              columns={7}
              total={total}
              none="No networks."
              noMatch="No network matches the search and filters."
            />
          )}
          {networks.map((n) => {
            const editable = canWrite && !n.builtIn;
            const items: MenuItem[] = [
              { label: 'Details', onSelect: () => onOpen('details', n) },
              ...(editable
                ? [{ label: 'Connect a container…', onSelect: () => onOpen('connect', n) }]
                : []),
              { label: 'Document', onSelect: () => onOpen('document', n) },
              ...(editable
                ? [{ label: 'Remove…', danger: true, onSelect: () => onRemove(n) }]
                : []),
            ];
            return (
              <tr key={n.id} data-testid="network-row" data-name={n.name}>
                <th scope="row">
                  <button
                    type="button"
                    className="linklike"
                    aria-label={`Details of ${n.name}`}
                    onClick={() => onOpen('details', n)}
                  >
                    {n.name}
                  </button>{' '}
                  {n.builtIn && <Badge>built-in</Badge>}{' '}
                  {n.internal && <Badge tone="warn">internal</Badge>}{' '}
                  {n.oversized && (
                    <Badge tone="warn">
                      <span title={n.oversized.reason}>
                        oversized: /{n.oversized.suggestedPrefix} would do
                      </span>
                    </Badge>
                  )}
                </th>
                <td>{n.driver}</td>
                <td className="c-wide">{n.scope}</td>
                <td className="c-wide">
                  {n.subnets.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    n.subnets.map((s) => (
                      <div key={s.subnet}>
                        <code>{s.subnet}</code>
                        {s.gateway && <span className="muted"> via {s.gateway}</span>}
                      </div>
                    ))
                  )}
                </td>
                <td>
                  {n.members.length}
                  {n.reservations.length > 0 && (
                    <span className="muted"> +{n.reservations.length} reserved</span>
                  )}
                </td>
                <td className="c-wide">
                  <time dateTime={n.created}>{shortDate.format(new Date(n.created))}</time>
                </td>
                <td className="c-actions">
                  <Menu
                    label={`Actions for ${n.name}`}
                    trigger={<MoreHorizontal size={16} aria-hidden />}
                    items={items}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
