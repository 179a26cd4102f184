import type { NetworkSummary } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useMemo, useState } from 'react';
import { lazyPage } from '../../app/lazy-page.js';
import { keys, useMe, useNetworks } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Dialog } from '../../components/Dialog.js';
import { StaleNotice } from '../../components/StaleNotice.js';
import { Button, Card, ErrorNotice, Page } from '../../components/ui.js';
import '../../styles/resource-list.css';
import { NetworkConnect } from './NetworkConnect.js';
import { NetworkCreate } from './NetworkCreate.js';
import { NetworkDetails } from './NetworkDetails.js';
import { NetworkList } from './NetworkList.js';
import { NetworkPrune, NetworkRemove, type NetworkOutcome } from './NetworkRemoval.js';
import { TopologyView } from './TopologyView.js';

const NetworkDocument = lazyPage(() => import('./NetworkDocument.js'));

/** Which panel is open, and for which network (the document of the whole host has none). */
type Panel = { kind: 'details' | 'connect'; id: string } | { kind: 'document'; id: string | null };

function matches(n: NetworkSummary, q: string): boolean {
  return (
    n.name.toLowerCase().includes(q) ||
    n.driver.includes(q) ||
    n.subnets.some((s) => s.subnet.includes(q) || (s.gateway ?? '').includes(q)) ||
    n.members.some((m) => m.name.toLowerCase().includes(q))
  );
}

/** Networks: the list first (search, filters, per-row actions), create and prune in dialogs, topology. */
export default function NetworksPage() {
  const host = useCurrentHost();
  const networks = useNetworks(host);
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const [search, setSearch] = useState('');
  const [driver, setDriver] = useState('');
  const [usage, setUsage] = useState('');
  const [origin, setOrigin] = useState('');
  const [panel, setPanel] = useState<Panel | null>(null);
  const [removing, setRemoving] = useState<NetworkSummary | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<NetworkOutcome | null>(null);
  const queryClient = useQueryClient();
  const done = (result: NetworkOutcome): void => {
    setActionError(null);
    setOutcome(result);
    void queryClient.invalidateQueries({ queryKey: keys.networks(host) });
  };

  const all = useMemo(() => networks.data ?? [], [networks.data]);
  const drivers = [...new Set(all.map((n) => n.driver))].sort();
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return all
      .filter((n) => !driver || n.driver === driver)
      .filter((n) => !usage || (usage === 'used') === n.members.length > 0)
      .filter((n) => !origin || (origin === 'builtin') === n.builtIn)
      .filter((n) => !q || matches(n, q))
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [all, search, driver, usage, origin]);
  const open = panel && panel.id !== null ? all.find((n) => n.id === panel.id) : undefined;
  const close = (isOpen: boolean): void => {
    if (!isOpen) setPanel(null);
  };

  return (
    <Page
      title="Networks"
      actions={
        <>
          {canWrite && <NetworkPrune onDone={done} />}
          <Button onClick={() => setPanel({ kind: 'document', id: null })}>Network document</Button>
          {canWrite && <NetworkCreate onCreated={done} />}
        </>
      }
    >
      <div className="filters" role="search">
        <input
          type="search"
          className="list-search"
          placeholder="Search name, subnet, member"
          aria-label="Search networks"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select aria-label="Driver" value={driver} onChange={(e) => setDriver(e.target.value)}>
          <option value="">All drivers</option>
          {drivers.map((d) => (
            <option key={d}>{d}</option>
          ))}
        </select>
        <select aria-label="In use" value={usage} onChange={(e) => setUsage(e.target.value)}>
          <option value="">In use and unused</option>
          <option value="used">In use</option>
          <option value="unused">Unused</option>
        </select>
        <select
          aria-label="Built-in or user"
          value={origin}
          onChange={(e) => setOrigin(e.target.value)}
        >
          <option value="">Built-in and user</option>
          <option value="builtin">Built-in</option>
          <option value="user">User-created</option>
        </select>
      </div>
      {outcome && (
        <div className="notice" role="status" data-testid="networks-outcome">
          {outcome.message}
          <CommandBlock command={outcome.cli} />
        </div>
      )}
      <ErrorNotice error={actionError ?? networks.error} />
      <StaleNotice kind="networks" host={host} />
      <NetworkList
        networks={rows}
        total={all.length}
        canWrite={canWrite}
        onOpen={(kind, n) => setPanel({ kind, id: n.id })}
        onRemove={setRemoving}
      />
      <Card title="Topology">
        <TopologyView />
      </Card>
      <Dialog
        side
        title={open ? `Network ${open.name}` : 'Network'}
        open={panel?.kind === 'details' && open !== undefined}
        onOpenChange={close}
      >
        {open && <NetworkDetails network={open} canWrite={canWrite} />}
      </Dialog>
      <Dialog
        title={open ? `Connect a container to ${open.name}` : 'Connect a container'}
        open={panel?.kind === 'connect' && open !== undefined}
        onOpenChange={close}
      >
        {open && <NetworkConnect network={open} />}
      </Dialog>
      <Dialog
        side
        wide
        title="Network document"
        description={`Every network on ${host}, its members and reserved addresses`}
        open={panel?.kind === 'document'}
        onOpenChange={close}
      >
        <Suspense fallback={<p className="muted">Loading…</p>}>
          <NetworkDocument focus={open?.name ?? null} />
        </Suspense>
      </Dialog>
      <NetworkRemove
        network={removing}
        onClose={() => setRemoving(null)}
        onDone={done}
        onError={setActionError}
      />
    </Page>
  );
}
