import type { FleetContainer, FleetImage, FleetVolume } from '@berth/contract';
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

export function FleetContainerTable({ items, total, filtered, stale }: TableProps<FleetContainer>) {
  return (
    <div className="list-scroll">
      <table className="list" aria-label="Containers on every host" data-testid="fleet-list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Host</th>
            <th scope="col">State</th>
            <th scope="col" className="c-wide">
              Image
            </th>
            <th scope="col" className="c-wide">
              Stack
            </th>
            <th scope="col" className="c-wide">
              Created
            </th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 && (
            <EmptyRow
              columns={6}
              total={emptyTotal(items, total, filtered)}
              none="No containers on any host."
              noMatch="No container matches the search and filters."
            />
          )}
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
        </tbody>
      </table>
    </div>
  );
}

export function FleetImageTable({ items, total, filtered, stale }: TableProps<FleetImage>) {
  return (
    <div className="list-scroll">
      <table className="list" aria-label="Images on every host" data-testid="fleet-list">
        <thead>
          <tr>
            <th scope="col">Image</th>
            <th scope="col">Host</th>
            <th scope="col" className="c-wide">
              ID
            </th>
            <th scope="col">Size</th>
            <th scope="col" className="c-wide">
              Created
            </th>
            <th scope="col" className="c-wide">
              Used by
            </th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 && (
            <EmptyRow
              columns={6}
              total={emptyTotal(items, total, filtered)}
              none="No images on any host."
              noMatch="No image matches the search and filters."
            />
          )}
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
        </tbody>
      </table>
    </div>
  );
}

export function FleetVolumeTable({ items, total, filtered, stale }: TableProps<FleetVolume>) {
  return (
    <div className="list-scroll">
      <table className="list" aria-label="Volumes on every host" data-testid="fleet-list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Host</th>
            <th scope="col" className="c-wide">
              Driver
            </th>
            <th scope="col">Used by</th>
            <th scope="col" className="c-wide">
              Created
            </th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 && (
            <EmptyRow
              columns={5}
              total={emptyTotal(items, total, filtered)}
              none="No volumes on any host."
              noMatch="No volume matches the search and filters."
            />
          )}
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
        </tbody>
      </table>
    </div>
  );
}
