import type { StackSummary } from '@berth/contract';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { client } from '../../api/client.js';
import { keys, useMe } from '../../api/queries.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { Page } from '../../components/ui.js';
import '../../styles/resource-list.css';
import './stacks.css';
import { DeployPanel } from './DeployPanel.js';
import { useStackActions } from './stack-actions.js';
import { StackConfirms, type StackConfirm } from './StackConfirms.js';
import { StackList } from './StackList.js';
import { StackOutcomeNotice } from './StackOutcomeNotice.js';
import { StackVariablesPanel } from './StackVariablesPanel.js';
import { StacksError } from './StacksUnavailable.js';

export const useStacks = (host: string) =>
  useQuery({
    queryKey: keys.stacks(host),
    queryFn: async () => (await client.stacks.list({ params: { host } })).stacks,
  });

const STATES = ['running', 'partial', 'stopped', 'failed', 'empty'] as const;

/** The host's compose stacks: the list first (search, state filter), actions per row. */
export default function StacksPage() {
  const host = useCurrentHost();
  const stacks = useStacks(host);
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const [search, setSearch] = useState('');
  const [state, setState] = useState('');
  const [confirm, setConfirm] = useState<StackConfirm>(null);
  const [deploying, setDeploying] = useState<string | null>(null);
  const actions = useStackActions();
  const all = useMemo(() => stacks.data ?? [], [stacks.data]);
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return all
      .filter((s) => !state || s.state === state)
      .filter(
        (s) =>
          !q ||
          s.name.toLowerCase().includes(q) ||
          s.services.some((svc) => svc.name.toLowerCase().includes(q)),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [all, search, state]);

  return (
    <Page
      title="Stacks"
      actions={
        <>
          <StackVariablesPanel canEdit={me.data?.effectiveRole === 'admin'} />
          {canWrite && (
            <Link className="btn btn-primary" to={hostPath(host, 'stacks/new')}>
              New stack
            </Link>
          )}
        </>
      }
    >
      <div className="filters" role="search">
        <input
          type="search"
          className="list-search"
          placeholder="Search name, service"
          aria-label="Search stacks"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select aria-label="State" value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">All states</option>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s === 'empty' ? 'not deployed' : s}
            </option>
          ))}
        </select>
      </div>
      <StacksError error={stacks.error} />
      <StackOutcomeNotice actions={actions} />
      {stacks.isPending ? (
        <p className="loading">Loading…</p>
      ) : stacks.isError ? null : (
        <StackList
          stacks={rows}
          total={all.length}
          actions={{
            canWrite,
            busy: actions.busy,
            onDeploy: (s: StackSummary) => setDeploying(s.name),
            onRun: (s, op) => void actions.run(s.name, op),
            onDown: (s) => setConfirm({ kind: 'down', stack: s }),
            onDelete: (s) => setConfirm({ kind: 'delete', stack: s }),
            onAdopt: (s) => void actions.adopt(s.name),
          }}
        />
      )}
      <StackConfirms
        confirm={confirm}
        onCancel={() => setConfirm(null)}
        onDown={(s, volumes) => void actions.run(s.name, 'down', volumes)}
        onDelete={(s, down, volumes) => void actions.remove(s.name, down, volumes)}
      />
      <DeployPanel stack={deploying} onClose={() => setDeploying(null)} onApplied={actions.show} />
    </Page>
  );
}
