import * as Tabs from '@radix-ui/react-tabs';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Suspense, useId, useState } from 'react';
import { lazyPage } from '../../app/lazy-page.js';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { client } from '../../api/client.js';
import { keys, useMe } from '../../api/queries.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { ChevronDown } from 'lucide-react';
import { Menu } from '../../components/Menu.js';
import { TabStrip, tabId } from '../../components/TabStrip.js';
import { Badge, Button, ErrorNotice, Page } from '../../components/ui.js';
import '../../styles/resource-list.css';
import './stacks.css';
import { DeployPanel } from './DeployPanel.js';
import { LastDeploy } from './LastDeploy.js';
import { useStackActions } from './stack-actions.js';
import { useStackFiles } from './stack-files.js';
import { completedCount, isManaged, SOURCE_LABELS, stackBadge } from './stack-state.js';
import { StackConfirms, type StackConfirm } from './StackConfirms.js';
import { StackHistory } from './StackHistory.js';
import { StackLogs } from './StackLogs.js';
import { StackOutcomeNotice } from './StackOutcomeNotice.js';
import { StackServices } from './StackServices.js';
import { StacksError } from './StacksUnavailable.js';
import { TotalsMetrics } from '../monitoring/TotalsMetrics.js';
import { DeployToSwarmPanel } from '../swarm-stacks/DeployToSwarmPanel.js';
import { useSwarmStacks } from '../swarm-stacks/swarm-stack-queries.js';
import { StackRouteLinks } from '../proxy/RouteLinks.js';

const StackEditor = lazyPage(() => import('./editor/StackEditor.js'));

const TABS = ['Services', 'Logs', 'Metrics', 'Editor', 'History'] as const;
type Tab = (typeof TABS)[number];

/** One stack: its services and containers, merged logs, the editor, the history; deploy. */
export default function StackPage() {
  const host = useCurrentHost();
  const { name = '' } = useParams();
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const [search] = useSearchParams();
  const [tab, setTab] = useState<Tab>(TABS.find((t) => t === search.get('tab')) ?? 'Services');
  const panelId = useId();
  const created = (useLocation().state as { created?: boolean } | null)?.created === true;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const detail = useQuery({
    queryKey: keys.stack(host, name),
    queryFn: () => client.stacks.get({ params: { host, name } }),
  });
  const stack = detail.data;
  const managed = stack ? isManaged(stack) : false;
  const paths = stack && managed ? stack.files.map((f) => f.path) : undefined;
  const files = useStackFiles(host, name, paths);
  const [deploying, setDeploying] = useState(false);
  const [toSwarm, setToSwarm] = useState(false);
  const swarmManager = useSwarmStacks(host).data?.manager === true;
  const [confirm, setConfirm] = useState<StackConfirm>(null);
  // A restore replaces the files under the editor: it opens them afresh.
  const [restores, setRestores] = useState(0);
  const actions = useStackActions();
  const refresh = (): Promise<void> =>
    queryClient.invalidateQueries({ queryKey: keys.stack(host, name) });

  if (detail.isError)
    return (
      <Page title={name || 'Stack'}>
        <StacksError error={detail.error} />
      </Page>
    );
  if (!stack) return <p className="loading">Loading…</p>;
  const badge = stackBadge(stack);
  const done = completedCount(stack);
  // Files are Berth's to edit and version only for stacks it manages.
  const tabs = TABS.filter((t) => managed || (t !== 'Editor' && t !== 'History'));
  const busy = actions.busy === name;

  return (
    <Page
      title={stack.name}
      actions={
        canWrite && (
          <>
            {managed && (
              <Button variant="primary" disabled={busy} onClick={() => setDeploying(true)}>
                Deploy
              </Button>
            )}
            {managed && swarmManager && (
              <Button disabled={busy} onClick={() => setToSwarm(true)}>
                Deploy to swarm
              </Button>
            )}
            {stack.source === 'external' && stack.adoptable && (
              <Button disabled={busy} onClick={() => void actions.adopt(name)}>
                Adopt
              </Button>
            )}
            <Menu
              label={`More actions for ${stack.name}`}
              trigger={
                <>
                  Actions <ChevronDown size={14} aria-hidden />
                </>
              }
              disabled={busy}
              items={[
                { label: 'Start', onSelect: () => void actions.run(name, 'start') },
                { label: 'Stop', onSelect: () => void actions.run(name, 'stop') },
                { label: 'Restart', onSelect: () => void actions.run(name, 'restart') },
                ...(managed
                  ? [
                      {
                        label: 'Down…',
                        danger: true,
                        onSelect: () => setConfirm({ kind: 'down', stack }),
                      },
                    ]
                  : []),
                ...(stack.source === 'berth'
                  ? [
                      {
                        label: 'Delete…',
                        danger: true,
                        onSelect: () => setConfirm({ kind: 'delete', stack }),
                      },
                    ]
                  : []),
              ]}
            />
          </>
        )
      }
    >
      <p className="stack-facts">
        <Badge tone={badge.tone}>
          <span data-testid="stack-state">{badge.label}</span>
        </Badge>
        {done > 0 && <span className="muted">{done} completed</span>}
        <span className="muted">{SOURCE_LABELS[stack.source]}</span>
        {stack.workingDir && <code className="muted">{stack.workingDir}</code>}
        {stack.source !== 'external' && <LastDeploy deploy={stack.lastDeploy} prefix="deployed" />}
        <StackRouteLinks host={host} stack={stack.name} />
      </p>
      {stack.message && stack.state !== 'running' && (
        <p className="stack-message" data-testid="stack-message">
          {stack.message}
        </p>
      )}
      {created && (
        <p className="notice" role="status">
          Created {stack.name}: nothing runs until you deploy it.
        </p>
      )}
      <StackOutcomeNotice actions={actions} />
      <Tabs.Root value={tab} onValueChange={(value) => setTab(value as Tab)}>
        <TabStrip label="Stack sections" panelId={panelId} tabs={tabs} />
      </Tabs.Root>
      <div role="tabpanel" id={panelId} aria-labelledby={tabId(panelId, tab)}>
        {tab === 'Services' && <StackServices stack={stack} />}
        {tab === 'Logs' && <StackLogs stack={stack} />}
        {tab === 'Metrics' && <TotalsMetrics host={host} stack={stack.name} />}
        {tab === 'Editor' && (
          <>
            <ErrorNotice error={files.error} />
            {files.data ? (
              <Suspense fallback={<p className="loading">Loading the editor…</p>}>
                <StackEditor
                  key={restores}
                  mode="edit"
                  name={name}
                  canWrite={canWrite}
                  initial={files.data}
                  onSave={async ({ files: written, remove, message }) => {
                    await client.stacks.update({
                      params: { host, name },
                      body: { files: written, remove, ...(message ? { message } : {}) },
                    });
                    await refresh();
                  }}
                />
              </Suspense>
            ) : (
              !files.error && <p className="loading">Loading the files…</p>
            )}
          </>
        )}
        {tab === 'History' && (
          <StackHistory
            name={name}
            current={files.data}
            canWrite={canWrite}
            onRestored={() => {
              setRestores((n) => n + 1);
              void refresh();
            }}
          />
        )}
      </div>
      <StackConfirms
        confirm={confirm}
        onCancel={() => setConfirm(null)}
        onDown={(s, volumes) => void actions.run(s.name, 'down', volumes)}
        onDelete={(s, down, volumes) =>
          void actions.remove(s.name, down, volumes).then((ok) => {
            if (ok) void navigate(hostPath(host, 'stacks'));
          })
        }
      />
      <DeployPanel
        stack={deploying ? name : null}
        onClose={() => setDeploying(false)}
        onApplied={(outcome) => {
          actions.show(outcome);
          void refresh();
        }}
      />
      <DeployToSwarmPanel stack={toSwarm ? name : null} onClose={() => setToSwarm(false)} />
    </Page>
  );
}
