import type { ProxyRoute } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { proxyKeys, useProxyRoutes, useProxyState } from '../../api/proxy.js';
import { useMe } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Button, ErrorNotice, Page } from '../../components/ui.js';
import '../../styles/resource-list.css';
import './proxy.css';
import { ProxyBanner } from './ProxyBanner.js';
import { ProxySettingsDialog } from './ProxySettingsDialog.js';
import { targetText } from './proxy-view.js';
import { RouteDetails } from './RouteDetails.js';
import { RouteDialog } from './RouteDialog.js';
import { RouteTable } from './RouteTable.js';

const matches = (r: ProxyRoute, q: string): boolean =>
  !q || r.hostnames.some((h) => h.includes(q)) || targetText(r.target).toLowerCase().includes(q);

/**
 * The proxy: Caddy's state, then every route the user can see, kept live by the events
 * stream. Admins add, change and remove routes and set the ACME account; operators wake and
 * put to sleep; viewers read.
 */
export default function ProxyPage() {
  const me = useMe();
  const host = useCurrentHost();
  const isAdmin = me.data?.effectiveRole === 'admin';
  const canWake = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const state = useProxyState();
  const routes = useProxyRoutes();
  const queries = useQueryClient();
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<ProxyRoute | 'new' | null>(null);
  const [viewing, setViewing] = useState<ProxyRoute | null>(null);
  const [removing, setRemoving] = useState<ProxyRoute | null>(null);
  const [settings, setSettings] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState('');
  const all = routes.data ?? [];
  const rows = all.filter((r) => matches(r, search.trim().toLowerCase()));
  const act = async (what: string, step: () => Promise<unknown>): Promise<void> => {
    setActionError(null);
    setOutcome('');
    try {
      await step();
      setOutcome(what);
    } catch (err) {
      setActionError(err);
    }
    await queries.invalidateQueries({ queryKey: proxyKeys.all });
  };
  const remove = (route: ProxyRoute): void => {
    setRemoving(null);
    void act(`Removed ${route.hostnames.join(', ')}.`, () =>
      client.proxy.remove({ params: { id: route.id } }),
    );
  };
  return (
    <Page
      title="Proxy"
      actions={
        isAdmin && (
          <>
            {state.data && <Button onClick={() => setSettings(true)}>Settings…</Button>}
            <Button variant="primary" onClick={() => setEditing('new')}>
              Add route
            </Button>
          </>
        )
      }
    >
      <ErrorNotice error={state.error} />
      {state.data && <ProxyBanner state={state.data} />}
      <div className="filters" role="search">
        <input
          type="search"
          className="list-search"
          placeholder="Search hostname, target"
          aria-label="Search routes"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      {outcome && (
        <p className="notice proxy-outcome" role="status" data-testid="proxy-outcome">
          {outcome}
        </p>
      )}
      <ErrorNotice error={actionError ?? routes.error} />
      <RouteTable
        routes={rows}
        loading={routes.isLoading}
        actions={{
          canEdit: isAdmin,
          onEdit: (r) => (isAdmin && r.source.type === 'api' ? setEditing(r) : setViewing(r)),
          onRemove: isAdmin ? setRemoving : undefined,
          onWake: canWake
            ? (r) =>
                void act(`Woke ${r.hostnames[0] ?? r.id}.`, () =>
                  client.proxy.wake({ params: { id: r.id } }),
                )
            : undefined,
          onSleep: canWake
            ? (r) =>
                void act(`${r.hostnames[0] ?? r.id} is asleep.`, () =>
                  client.proxy.sleep({ params: { id: r.id } }),
                )
            : undefined,
        }}
      />
      {editing && (
        <RouteDialog
          route={editing === 'new' ? null : editing}
          host={host}
          onClose={() => setEditing(null)}
        />
      )}
      {viewing && <RouteDetails route={viewing} onClose={() => setViewing(null)} />}
      {settings && state.data && (
        <ProxySettingsDialog settings={state.data.settings} onClose={() => setSettings(false)} />
      )}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.hostnames[0] ?? 'route'}?`}
        confirmLabel="Remove route"
        onConfirm={() => removing && remove(removing)}
        onCancel={() => setRemoving(null)}
      >
        <p>
          Caddy stops answering on {removing?.hostnames.join(', ')}. The target itself is not
          touched.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
