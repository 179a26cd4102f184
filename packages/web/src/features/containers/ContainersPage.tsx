import type { BulkResult, ContainerSummary } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Layers } from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useProxyRoutes } from '../../api/proxy.js';
import { keys, useContainers, useMe } from '../../api/queries.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { StaleNotice } from '../../components/StaleNotice.js';
import { ErrorNotice, Page } from '../../components/ui.js';
import { BulkBar } from './BulkBar.js';
import { BulkProgress } from './BulkProgress.js';
import { groupKey, listItems } from './container-groups.js';
import { ContainerRow } from './ContainerRow.js';
import { GroupRow } from './GroupRow.js';
import { useActionProgress } from './useActionProgress.js';
import { useRemembered } from './useRemembered.js';
import { useVisibleStats } from './useVisibleStats.js';

type SortKey = 'name' | 'state' | 'image' | 'created';
const ROW_HEIGHT = 52;
const GROUP_HEIGHT = 40;

/** The containers of the host: filter, search, sort, select, act — smooth with thousands of rows. */
export default function ContainersPage() {
  const host = useCurrentHost();
  const containers = useContainers(host);
  // One read of the host's routes for every row's links.
  const routes = useProxyRoutes({ host }).data;
  const client = useQueryClient();
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const [search, setSearch] = useState('');
  const [state, setState] = useState('');
  const [environment, setEnvironment] = useState('');
  const [stack, setStack] = useState('');
  const [origin, setOrigin] = useState('');
  const [sort, setSort] = useState<SortKey>('name');
  const [grouped, setGrouped] = useRemembered('berth.containers.groupByProject', false);
  const [collapsedList, setCollapsedList] = useRemembered<string[]>(
    'berth.containers.collapsedProjects',
    [],
  );
  const collapsed = useMemo(() => new Set(collapsedList), [collapsedList]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<BulkResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The events socket says so too; this covers a moment when it is reconnecting.
  const refresh = useCallback(
    () => void client.invalidateQueries({ queryKey: keys.containers(host) }),
    [client, host],
  );
  const actions = useActionProgress(refresh);

  const rows = useMemo(() => {
    const q = search.toLowerCase();
    return (containers.data ?? [])
      .filter((c) => !state || c.state === state)
      .filter((c) => !environment || c.environment === environment)
      .filter((c) => !stack || c.composeProject === stack)
      .filter((c) => !origin || (origin === 'managed') === c.managed)
      .filter(
        (c) =>
          !q ||
          c.name.toLowerCase().includes(q) ||
          c.image.toLowerCase().includes(q) ||
          (c.composeProject ?? '').includes(q),
      )
      .sort((a, b) =>
        sort === 'created' ? b.created.localeCompare(a.created) : a[sort].localeCompare(b[sort]),
      );
  }, [containers.data, search, state, environment, stack, origin, sort]);

  const items = useMemo(() => listItems(rows, grouped, collapsed), [rows, grouped, collapsed]);
  const stacks = [
    ...new Set(
      (containers.data ?? []).map((c) => c.composeProject).filter((p): p is string => p !== null),
    ),
  ];
  const environments = [
    ...new Set(
      (containers.data ?? []).map((c) => c.environment).filter((e): e is string => e !== null),
    ),
  ];
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (items[index]?.kind === 'group' ? GROUP_HEIGHT : ROW_HEIGHT),
    getItemKey: (index) => {
      const item = items[index];
      if (!item) return index;
      return item.kind === 'group' ? `group:${groupKey(item.group.project)}` : item.container.id;
    },
    overscan: 12,
  });
  // The shape of the list changed (grouped, a group opened): the sizes of the lines moved.
  useEffect(() => virtual.measure(), [virtual, grouped, collapsed]);

  // Live CPU and memory for the running rows on screen only (not the overscan).
  const lines = virtual.getVirtualItems();
  const range = virtual.range;
  const onScreen =
    range === null
      ? []
      : items
          .slice(range.startIndex, range.endIndex + 1)
          .flatMap((item) =>
            item.kind === 'row' && item.container.state === 'running' ? [item.container.id] : [],
          );
  const usage = useVisibleStats(onScreen);
  const toggleGroup = (project: string | null): void => {
    const key = groupKey(project);
    setCollapsedList(
      collapsed.has(key) ? collapsedList.filter((k) => k !== key) : [...collapsedList, key],
    );
  };

  const toggle = (c: ContainerSummary): void => {
    const next = new Set(selected);
    if (next.has(c.id)) next.delete(c.id);
    else next.add(c.id);
    setSelected(next);
  };

  return (
    <Page
      title="Containers"
      actions={
        canWrite && (
          <Link className="btn btn-primary" to={hostPath(host, 'containers/new')}>
            Create container
          </Link>
        )
      }
    >
      <div className="filters" role="search">
        <input
          type="search"
          placeholder="Search name, image, stack"
          aria-label="Search containers"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select aria-label="State" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">All states</option>
          {['running', 'exited', 'created', 'paused', 'restarting', 'dead'].map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select
          aria-label="Environment"
          value={environment}
          onChange={(e) => setEnvironment(e.target.value)}
        >
          <option value="">All environments</option>
          {environments.map((e) => (
            <option key={e}>{e}</option>
          ))}
        </select>
        <select aria-label="Stack" value={stack} onChange={(e) => setStack(e.target.value)}>
          <option value="">All stacks</option>
          {stacks.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
        <select
          aria-label="Managed or external"
          value={origin}
          onChange={(e) => setOrigin(e.target.value)}
        >
          <option value="">Managed and external</option>
          <option value="managed">Created by Berth</option>
          <option value="external">External</option>
        </select>
        <select
          aria-label="Sort by"
          value={sort}
          onChange={(e) => setSort(e.target.value as SortKey)}
        >
          <option value="name">Name</option>
          <option value="state">State</option>
          <option value="image">Image</option>
          <option value="created">Newest</option>
        </select>
        <button
          type="button"
          className={`btn btn-toggle${grouped ? ' btn-toggle-on' : ''}`}
          aria-pressed={grouped}
          onClick={() => setGrouped(!grouped)}
        >
          <Layers size={16} aria-hidden /> Group by stack
        </button>
      </div>
      {canWrite && selected.size > 0 && (
        <BulkBar
          selected={(containers.data ?? []).filter((c) => selected.has(c.id))}
          environments={environments}
          busy={[...selected].some(actions.busy)}
          onAction={(action) => {
            const items = (containers.data ?? []).filter((c) => selected.has(c.id));
            setError(null);
            setBulk(null);
            actions.clear();
            if (action === 'remove') setSelected(new Set());
            void actions.run(items, action);
          }}
          onDone={(result) => {
            setError(null);
            setBulk(result);
            actions.clear();
            setSelected(new Set());
            refresh();
          }}
          onError={setError}
        />
      )}
      <ErrorNotice error={error ?? containers.error} />
      <StaleNotice kind="containers" host={host} />
      <BulkProgress progress={actions.progress} onClose={actions.clear} />
      {bulk && (
        <div className="notice" role="status">
          {bulk.succeeded} done, {bulk.failed} failed
          <ul>
            {bulk.results
              .filter((r) => !r.ok)
              .map((r) => (
                <li key={r.id}>
                  {r.id}: {r.error?.message}
                </li>
              ))}
          </ul>
          <CommandBlock command={bulk.cli} />
        </div>
      )}
      <div className="table" role="table" aria-label="Containers" aria-rowcount={rows.length}>
        <div className="tr tr-containers th" role="row">
          <span role="columnheader" className="c-check" />
          <span role="columnheader">Name</span>
          <span role="columnheader">State</span>
          <span role="columnheader" className="c-wide">
            CPU / memory
          </span>
          <span role="columnheader" className="c-wide">
            Image
          </span>
          <span role="columnheader" className="c-wide">
            IP addresses
          </span>
          <span role="columnheader" className="c-wide">
            Ports
          </span>
          <span role="columnheader" className="c-wide">
            Created
          </span>
          <span role="columnheader" className="c-actions">
            Actions
          </span>
        </div>
        <div ref={scroller} className="tbody" data-testid="containers-scroll">
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {lines.map((line) => {
              const item = items[line.index];
              if (!item) return null;
              const style = {
                position: 'absolute',
                top: 0,
                transform: `translateY(${line.start}px)`,
                width: '100%',
                height: line.size,
              } as const;
              if (item.kind === 'group')
                return (
                  <GroupRow
                    key={line.key}
                    group={item.group}
                    collapsed={item.collapsed}
                    style={style}
                    onToggle={() => toggleGroup(item.group.project)}
                  />
                );
              const c = item.container;
              return (
                <ContainerRow
                  key={line.key}
                  c={c}
                  routes={routes}
                  style={style}
                  usage={usage.get(c.id)}
                  canWrite={canWrite}
                  selected={selected.has(c.id)}
                  progress={actions.progress.get(c.id)}
                  onToggle={() => toggle(c)}
                  onAction={(action) => void actions.run([c], action)}
                />
              );
            })}
          </div>
        </div>
      </div>
    </Page>
  );
}
