import type { ContainerState, FleetContainerList } from '@berth/contract';
import { useState, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import {
  useFleetContainers,
  useFleetImages,
  useFleetVolumes,
  type FleetKind,
  type FleetListQuery,
} from '../../api/fleet.js';
import { useHosts } from '../../api/queries.js';
import { clockTime } from '../../components/time.js';
import { useDebounced } from '../../components/useDebounced.js';
import { Button, ErrorNotice, Page } from '../../components/ui.js';
import { FleetContainerTable, FleetImageTable, FleetVolumeTable } from './FleetTables.js';
import '../../styles/resource-list.css';
import '../../styles/fleet.css';

type FleetHostState = FleetContainerList['hosts'][number];

const PAGE = 200;
const STATES: ContainerState[] = ['running', 'exited', 'created', 'paused', 'restarting', 'dead'];
const TITLES: Record<FleetKind, string> = {
  containers: 'Containers',
  images: 'Images',
  volumes: 'Volumes',
};

/** Which hosts answered from their last known state, and why. */
function StaleHosts({ hosts }: { hosts: FleetHostState[] }) {
  const stale = hosts.filter((h) => h.stale !== null);
  if (stale.length === 0) return null;
  return (
    <div className="notice notice-stale" role="status" data-testid="fleet-stale">
      <ul className="plain">
        {stale.map((h) => (
          <li key={h.id}>
            <strong>
              {h.id} unreachable —{' '}
              {h.stale?.since
                ? `its rows are the last known, as of ${clockTime(h.stale.since)}`
                : 'it has not been reached yet, so nothing of it is listed'}
            </strong>
            <span className="muted"> ({h.stale?.reason})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface ResultProps {
  query: FleetListQuery;
  filtered: boolean;
  onMore: () => void;
}

/** Only the kind on screen is asked for: each is its own component with its own query. */
function Results({ kind, ...props }: ResultProps & { kind: FleetKind }) {
  if (kind === 'containers') return <ContainersResult {...props} />;
  if (kind === 'images') return <ImagesResult {...props} />;
  return <VolumesResult {...props} />;
}

/** What a fleet list query answers, whichever kind it lists. */
interface FleetAnswer {
  data?: { hosts: FleetHostState[]; total: number } | undefined;
  error: unknown;
  isFetching: boolean;
}

/** Around a fleet table: errors, stale hosts, "showing N of total", and more on demand. */
function Shell({
  list,
  shown,
  onMore,
  children,
}: {
  list: FleetAnswer;
  shown: number;
  onMore: () => void;
  children: (stale: (host: string) => boolean) => ReactNode;
}) {
  const hosts = list.data?.hosts ?? [];
  const total = list.data?.total;
  const fetching = list.isFetching;
  return (
    <>
      <ErrorNotice error={list.error} />
      <StaleHosts hosts={hosts} />
      <p className="muted" role="status" data-testid="fleet-count" aria-busy={fetching}>
        {total === undefined ? '…' : `Showing ${shown} of ${total}`}
      </p>
      {children(staleOf(hosts))}
      {total !== undefined && shown < total && (
        <div className="fleet-more">
          <Button onClick={onMore}>Show {Math.min(PAGE, total - shown)} more</Button>
        </div>
      )}
    </>
  );
}

const staleOf =
  (hosts: FleetHostState[]) =>
  (host: string): boolean =>
    hosts.some((h) => h.id === host && h.stale !== null);

function ContainersResult({ query, filtered, onMore }: ResultProps) {
  const list = useFleetContainers(query);
  const items = list.data?.containers ?? [];
  return (
    <Shell list={list} shown={items.length} onMore={onMore}>
      {(stale) => (
        <FleetContainerTable
          items={items}
          total={list.data?.total ?? 0}
          filtered={filtered}
          stale={stale}
        />
      )}
    </Shell>
  );
}

function ImagesResult({ query, filtered, onMore }: ResultProps) {
  const list = useFleetImages(query);
  const items = list.data?.images ?? [];
  return (
    <Shell list={list} shown={items.length} onMore={onMore}>
      {(stale) => (
        <FleetImageTable
          items={items}
          total={list.data?.total ?? 0}
          filtered={filtered}
          stale={stale}
        />
      )}
    </Shell>
  );
}

function VolumesResult({ query, filtered, onMore }: ResultProps) {
  const list = useFleetVolumes(query);
  const items = list.data?.volumes ?? [];
  return (
    <Shell list={list} shown={items.length} onMore={onMore}>
      {(stale) => (
        <FleetVolumeTable
          items={items}
          total={list.data?.total ?? 0}
          filtered={filtered}
          stale={stale}
        />
      )}
    </Shell>
  );
}

/**
 * Containers, images or volumes of every host the user may see, in one list with a host
 * column. The search is the server's (`q`, asked once the typing pauses); more rows on demand.
 */
export default function FleetPage({ kind }: { kind: FleetKind }) {
  const hosts = useHosts();
  const [search, setSearch] = useState('');
  const [host, setHost] = useState('');
  const [label, setLabel] = useState('');
  const [state, setState] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const q = useDebounced(search.trim());
  const query: FleetListQuery = {
    q,
    host,
    label,
    state: kind === 'containers' ? state : '',
    limit,
  };
  const filtered = query.q !== '' || host !== '' || label !== '' || query.state !== '';
  const labels = [...new Set((hosts.data ?? []).flatMap((h) => h.labels))].sort();
  // A new question starts again from the first page.
  const change =
    (set: (value: string) => void) =>
    (value: string): void => {
      set(value);
      setLimit(PAGE);
    };
  return (
    <Page title={`All hosts: ${TITLES[kind].toLowerCase()}`}>
      <nav className="fleet-tabs" aria-label="All hosts">
        {(['containers', 'images', 'volumes'] as const).map((k) => (
          <NavLink key={k} to={`/fleet/${k}`} className="btn">
            {TITLES[k]}
          </NavLink>
        ))}
      </nav>
      <div className="filters" role="search">
        <input
          type="search"
          className="list-search"
          placeholder={kind === 'containers' ? 'Search name, image, id' : 'Search name, id'}
          aria-label={`Search ${kind} on every host`}
          value={search}
          onChange={(e) => change(setSearch)(e.target.value)}
        />
        {kind === 'containers' && (
          <select
            aria-label="State"
            value={state}
            onChange={(e) => change(setState)(e.target.value)}
          >
            <option value="">All states</option>
            {STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        )}
        <select aria-label="Host" value={host} onChange={(e) => change(setHost)(e.target.value)}>
          <option value="">All hosts</option>
          {(hosts.data ?? []).map((h) => (
            <option key={h.id} value={h.id}>
              {h.name}
            </option>
          ))}
        </select>
        {labels.length > 0 && (
          <select
            aria-label="Label"
            value={label}
            onChange={(e) => change(setLabel)(e.target.value)}
          >
            <option value="">All labels</option>
            {labels.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        )}
      </div>
      <Results
        kind={kind}
        query={query}
        filtered={filtered}
        onMore={() => setLimit(limit + PAGE)}
      />
    </Page>
  );
}
