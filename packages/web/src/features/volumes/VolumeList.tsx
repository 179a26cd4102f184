import type { VolumeSummary } from '@berth/contract';
import { MoreHorizontal } from 'lucide-react';
import { Link } from 'react-router';
import { Menu, type MenuItem } from '../../components/Menu.js';
import { formatBytes, EmptyRow } from '../../components/ui.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';

const shortDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export type VolumePanel = 'browse' | 'backups' | 'details';

/** The volumes of the host, one row each, with what can be done to each in its menu. */
export function VolumeList({
  volumes,
  total,
  sizes,
  canWrite,
  onOpen,
  onRemove,
}: {
  volumes: VolumeSummary[];
  /** How many there are before the filters: "no match" and "none yet" read differently. */
  total: number;
  /** undefined while the engine is still measuring; a missing name has no known size. */
  sizes: Map<string, number | null> | undefined;
  canWrite: boolean;
  onOpen: (panel: VolumePanel, volume: VolumeSummary) => void;
  onRemove: (volume: VolumeSummary) => void;
}) {
  const host = useCurrentHost();
  const sizeOf = (name: string): string => {
    if (sizes === undefined) return 'measuring…';
    const size = sizes.get(name);
    return size === undefined || size === null ? '—' : formatBytes(size);
  };
  return (
    <div className="list-scroll">
      <table className="list" aria-label="Volumes" data-testid="volume-list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" className="c-wide">
              Driver
            </th>
            <th scope="col">Size</th>
            <th scope="col">Used by</th>
            <th scope="col" className="c-wide">
              Created
            </th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {volumes.length === 0 && (
            <EmptyRow
              columns={6}
              total={total}
              none="No volumes."
              noMatch="No volume matches the search and filters."
            />
          )}
          {volumes.map((v) => {
            const items: MenuItem[] = [
              { label: 'Browse files', onSelect: () => onOpen('browse', v) },
              { label: 'Backups', onSelect: () => onOpen('backups', v) },
              { label: 'Details', onSelect: () => onOpen('details', v) },
              ...(canWrite
                ? [{ label: 'Remove…', danger: true, onSelect: () => onRemove(v) }]
                : []),
            ];
            return (
              <tr key={v.name} data-testid="volume-row" data-name={v.name}>
                <th scope="row">
                  <button
                    type="button"
                    className="linklike"
                    aria-label={`Details of ${v.name}`}
                    onClick={() => onOpen('details', v)}
                  >
                    {v.name}
                  </button>
                </th>
                <td className="c-wide">{v.driver}</td>
                <td className="c-num">{sizeOf(v.name)}</td>
                <td>
                  {v.usedBy.length === 0 ? (
                    <span className="muted">unused</span>
                  ) : (
                    v.usedBy.map((u, i) => (
                      <span key={u.id}>
                        {i > 0 && ', '}
                        <Link to={hostPath(host, `containers/${u.name}`)}>{u.name}</Link>
                      </span>
                    ))
                  )}
                </td>
                <td className="c-wide">
                  {v.createdAt ? (
                    <time dateTime={v.createdAt}>{shortDate.format(new Date(v.createdAt))}</time>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="c-actions">
                  <Menu
                    label={`Actions for ${v.name}`}
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
