import type { FleetContainer, FleetImage, FleetVolume } from '@berth/contract';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { hostPath } from '../../app/host-paths.js';
import { age, longTime } from '../../components/time.js';
import { Badge, EmptyRow, formatBytes, stateTone } from '../../components/ui.js';
import { imageName } from '../images/image-list.js';

/** The host of a row, flagged when its list is the last known one. */
function HostCell({ host, stale }: { host: string; stale: boolean }) {
  return (
    <td data-testid="host-cell">
      <Link to={hostPath(host, 'containers')}>{host}</Link>
      {stale && (
        <>
          {' '}
          <Badge tone="warn">last known</Badge>
        </>
      )}
    </td>
  );
}

function Created({ iso }: { iso: string | null }) {
  if (!iso) return <td className="c-wide">—</td>;
  return (
    <td className="c-wide" title={longTime.format(new Date(iso))}>
      {age(iso)}
    </td>
  );
}

interface TableProps<T> {
  items: T[];
  /** Matching items across hosts, before the page's limit. */
  total: number;
  /** A search or a filter is set: "no match" and "none yet" read differently. */
  filtered: boolean;
  stale: (host: string) => boolean;
}

const emptyTotal = (items: unknown[], total: number, filtered: boolean): number =>
  items.length === 0 && filtered ? 1 : total;

/** A column heading; `wide` ones are dropped on narrow screens. */
type Column = string | { label: string; wide: true };

/** The table every fleet list shares: its headings, the empty row, then its rows. */
function FleetTable<T>({
  what,
  columns,
  props: { items, total, filtered },
  children,
}: {
  /** Plural and singular, e.g. ['containers', 'container']. */
  what: [string, string];
  columns: Column[];
  props: TableProps<T>;
  children: ReactNode;
}) {
  const [plural, singular] = what;
  return (
    <div className="list-scroll">
      <table
        className="list"
        aria-label={`${plural[0]?.toUpperCase()}${plural.slice(1)} on every host`}
        data-testid="fleet-list"
      >
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th key={c} scope="col">
                  {c}
                </th>
              ) : (
                <th key={c.label} scope="col" className="c-wide">
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {items.length === 0 && (
            <EmptyRow
              columns={columns.length}
              total={emptyTotal(items, total, filtered)}
              none={`No ${plural} on any host.`}
              noMatch={`No ${singular} matches the search and filters.`}
            />
          )}
          {children}
        </tbody>
      </table>
    </div>
  );
}

const wide = (label: string): Column => ({ label, wide: true });

export function FleetContainerTable(props: TableProps<FleetContainer>) {
  const { items, stale } = props;
  return (
    <FleetTable
      what={['containers', 'container']}
      columns={['Name', 'Host', 'State', wide('Image'), wide('Stack'), wide('Created')]}
      props={props}
    >
      {items.map((c) => (
        <tr key={`${c.host}/${c.id}`} data-testid="fleet-row" data-host={c.host}>
          <th scope="row">
            <Link to={hostPath(c.host, `containers/${c.id}`)}>{c.name}</Link>
          </th>
          <HostCell host={c.host} stale={stale(c.host)} />
          <td>
            <Badge tone={stateTone(c.state)}>{c.state}</Badge>
            {c.health && c.health !== 'healthy' && (
              <>
                {' '}
                <Badge tone={stateTone(c.health)}>{c.health}</Badge>
              </>
            )}
          </td>
          <td className="c-wide">{c.image}</td>
          <td className="c-wide">{c.composeProject ?? '—'}</td>
          <Created iso={c.created} />
        </tr>
      ))}
    </FleetTable>
  );
}

export function FleetImageTable(props: TableProps<FleetImage>) {
  const { items, stale } = props;
  return (
    <FleetTable
      what={['images', 'image']}
      columns={['Image', 'Host', wide('ID'), 'Size', wide('Created'), wide('Used by')]}
      props={props}
    >
      {items.map((image) => (
        <tr key={`${image.host}/${image.id}`} data-testid="fleet-row" data-host={image.host}>
          <th scope="row">
            <Link to={hostPath(image.host, 'images')}>{imageName(image)}</Link>
            {image.dangling && (
              <>
                {' '}
                <Badge tone="warn">dangling</Badge>
              </>
            )}
          </th>
          <HostCell host={image.host} stale={stale(image.host)} />
          <td className="c-wide">
            <code>{image.shortId}</code>
          </td>
          <td className="c-num">{formatBytes(image.size)}</td>
          <Created iso={image.created} />
          <td className="c-wide">
            {image.usedBy.length === 0
              ? '—'
              : `${image.usedBy.length} container${image.usedBy.length === 1 ? '' : 's'}`}
          </td>
        </tr>
      ))}
    </FleetTable>
  );
}

export function FleetVolumeTable(props: TableProps<FleetVolume>) {
  const { items, stale } = props;
  return (
    <FleetTable
      what={['volumes', 'volume']}
      columns={['Name', 'Host', wide('Driver'), 'Used by', wide('Created')]}
      props={props}
    >
      {items.map((v) => (
        <tr key={`${v.host}/${v.name}`} data-testid="fleet-row" data-host={v.host}>
          <th scope="row">
            <Link to={hostPath(v.host, 'volumes')}>{v.name}</Link>
          </th>
          <HostCell host={v.host} stale={stale(v.host)} />
          <td className="c-wide">{v.driver}</td>
          <td>
            {v.usedBy.length === 0 ? (
              <span className="muted">unused</span>
            ) : (
              v.usedBy.map((u, i) => (
                <span key={u.id}>
                  {i > 0 && ', '}
                  <Link to={hostPath(v.host, `containers/${u.name}`)}>{u.name}</Link>
                </span>
              ))
            )}
          </td>
          <Created iso={v.createdAt} />
        </tr>
      ))}
    </FleetTable>
  );
}
