import { ContainerState, type ContainerCreated } from '@berth/contract';
import * as Tabs from '@radix-ui/react-tabs';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useId, useState } from 'react';
import { lazyPage } from '../../app/lazy-page.js';
import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { keys, useContainer, useMe } from '../../api/queries.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { TabStrip, tabId } from '../../components/TabStrip.js';
import { Badge, Button, Card, ErrorNotice, Page, stateTone } from '../../components/ui.js';
import { ContainerRouteLinks } from '../proxy/RouteLinks.js';
import {
  ACTION_LABELS,
  ACTION_PROGRESS,
  actionsFor,
  type ContainerAction,
} from './container-actions.js';
import { ExitFacts } from './ContainerRow.js';
import { runAction } from './run-action.js';
import { StopCountdown } from './StopCountdown.js';
import { DEFAULT_STOP_TIMEOUT_S, waitsForStop } from './useActionProgress.js';
import { EnvEditor } from './EnvEditor.js';
import { SavedNotice, type SavedLanding } from './SavedNotice.js';
import { useGoneRedirect } from './useGoneRedirect.js';
import { EnvironmentTagEditor } from './EnvironmentTagEditor.js';
import { FilesPanel } from './FilesPanel.js';
import { UpdatesPanel } from './UpdatesPanel.js';
import { LogsPanel } from './LogsPanel.js';
import { StatsPanel } from './StatsPanel.js';
import { HealthTimeline } from '../monitoring/HealthTimeline.js';

const TerminalPanel = lazyPage(() => import('./TerminalPanel.js'));
const TABS = [
  'Overview',
  'Logs',
  'Terminal',
  'Stats',
  'Health',
  'Files',
  'Processes & updates',
  'Inspect',
] as const;
type Tab = (typeof TABS)[number];

/** Like the list: an exit code only for a run that ended. */
function exitCodeOf(state: string, finishedAt: string | null, code: number): number | null {
  const ended = finishedAt !== null && !finishedAt.startsWith('0001') && state !== 'running';
  return ended && state !== 'paused' ? code : null;
}

/** The compose project (stack) the container belongs to, from its label. */
const stackOf = (c: { spec: { labels?: Record<string, string> | undefined } }): string | null =>
  c.spec.labels?.['com.docker.compose.project'] ?? null;

/** One container: overview, live logs, terminal, stats, the inspect and its docker run. */
export default function ContainerPage() {
  const host = useCurrentHost();
  const { id = '' } = useParams();
  const detail = useContainer(host, id);
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const [search] = useSearchParams();
  const asked = TABS.find((t) => t === search.get('tab'));
  const [tab, setTab] = useState<Tab>(asked ?? 'Overview');
  const panelId = useId();
  // An edit lands here with the recreate's outcome and command.
  const saved = useLocation().state as SavedLanding | null;
  const [last, setLast] = useState<{ cli: string } | null>(saved ? { cli: saved.cli } : null);
  const [pending, setPending] = useState<ContainerAction | null>(null);
  const [killAt, setKillAt] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const queries = useQueryClient();
  const navigate = useNavigate();
  const c = detail.data;

  useGoneRedirect(detail.error);

  const act = async (action: Exclude<ContainerAction, 'remove'>): Promise<void> => {
    setError(null);
    setPending(action);
    // A stop waits up to the container's stop timeout before the engine kills it: count it down.
    const timeoutS = c?.spec.stopTimeoutS ?? DEFAULT_STOP_TIMEOUT_S;
    setKillAt(waitsForStop(action) ? Date.now() + timeoutS * 1000 : null);
    try {
      setLast(await runAction(host, id, action));
      await queries.invalidateQueries({ queryKey: keys.container(host, id) });
    } catch (err) {
      setError(err);
    } finally {
      setPending(null);
      setKillAt(null);
    }
  };
  const remove = async (): Promise<void> => {
    setConfirmRemove(false);
    setPending('remove');
    try {
      await runAction(host, id, 'remove');
      void navigate(hostPath(host, 'containers'));
    } catch (err) {
      setError(err);
      setPending(null);
    }
  };
  const recreated = (result: ContainerCreated): void => {
    setLast(result);
    void navigate(hostPath(host, `containers/${result.container.id}`), { replace: true });
  };

  if (detail.isError)
    return (
      <Page title="Container">
        <ErrorNotice error={detail.error} />
      </Page>
    );
  if (!c) return <p className="loading">Loading…</p>;
  return (
    <Page
      title={c.name}
      actions={
        canWrite && (
          <>
            {pending && (
              <span role="status" className="muted" data-testid="action-progress">
                {ACTION_PROGRESS[pending]}
                {killAt !== null && <StopCountdown killAt={killAt} />}
              </span>
            )}
            {actionsFor(ContainerState.safeParse(c.state).data ?? 'dead').map((action) => (
              <Button
                key={action}
                variant={action === 'remove' || action === 'kill' ? 'danger' : 'default'}
                disabled={pending !== null}
                onClick={() => (action === 'remove' ? setConfirmRemove(true) : void act(action))}
              >
                {ACTION_LABELS[action]}
              </Button>
            ))}
            <Link className="btn btn-default" to={hostPath(host, `containers/${c.id}/edit`)}>
              Edit
            </Link>
          </>
        )
      }
    >
      <p>
        <Badge tone={stateTone(c.health ?? c.state)}>
          <span data-testid="container-state">{c.state}</span>
        </Badge>{' '}
        {c.health && <Badge tone={stateTone(c.health)}>{c.health}</Badge>} {c.image}{' '}
        <ExitFacts c={{ ...c, exitCode: exitCodeOf(c.state, c.finishedAt, c.exitCode) }} />
        {stackOf(c) && (
          <>
            {' '}
            · stack <Link to={hostPath(host, `stacks/${stackOf(c)}`)}>{stackOf(c)}</Link>
          </>
        )}{' '}
        <ContainerRouteLinks
          host={host}
          c={{
            id: c.id,
            name: c.name,
            composeProject: stackOf(c),
            composeService: c.spec.labels?.['com.docker.compose.service'] ?? null,
          }}
        />
      </p>
      {saved && <SavedNotice saved={saved} />}
      <ErrorNotice error={error} />
      {last && <CommandBlock command={last.cli} />}
      <Tabs.Root value={tab} onValueChange={(value) => setTab(value as Tab)}>
        <TabStrip
          label="Container sections"
          panelId={panelId}
          tabs={TABS.filter((t) => t !== 'Terminal' || canWrite)}
        />
      </Tabs.Root>
      <div role="tabpanel" id={panelId} aria-labelledby={tabId(panelId, tab)}>
        {tab === 'Overview' && (
          <div className="grid">
            <Card title="Ports">
              <ul className="plain">
                {(c.spec.ports ?? []).length === 0 && <li className="muted">none</li>}
                {(c.spec.ports ?? []).map((p) => (
                  <li key={`${p.containerPort}/${p.protocol}`}>
                    {p.hostPort ? (
                      <a
                        href={`http://${window.location.hostname}:${p.hostPort}/`}
                        target="_blank"
                        rel="noreferrer"
                      >
                        {p.hostPort}
                      </a>
                    ) : (
                      'auto'
                    )}{' '}
                    → {p.containerPort}/{p.protocol}
                  </li>
                ))}
              </ul>
            </Card>
            <Card title="Networks">
              <ul className="plain">
                {(c.spec.networks ?? []).length === 0 && <li className="muted">none</li>}
                {(c.spec.networks ?? []).map((n) => (
                  <li key={n.name}>
                    {n.name} {n.ipv4Address}
                  </li>
                ))}
              </ul>
            </Card>
            <Card title="Mounts">
              <ul className="plain">
                {(c.spec.mounts ?? []).length === 0 && <li className="muted">none</li>}
                {(c.spec.mounts ?? []).map((m) => (
                  <li key={m.target}>
                    {m.type} {'source' in m ? m.source : ''} → {m.target}
                  </li>
                ))}
              </ul>
            </Card>
            <Card title="Environment variables">
              {canWrite ? (
                <EnvEditor
                  containerId={c.id}
                  name={c.name}
                  env={c.spec.env ?? {}}
                  onRecreated={recreated}
                />
              ) : (
                <ul className="plain">
                  {Object.entries(c.spec.env ?? {}).map(([k, v]) => (
                    <li key={k}>
                      {k}={v}
                    </li>
                  ))}
                </ul>
              )}
            </Card>
            <Card title="Environment tag">
              {canWrite ? (
                <EnvironmentTagEditor container={c} />
              ) : (
                <p>{c.environment ?? 'no tag'}</p>
              )}
            </Card>
            <Card title="docker run">
              <pre className="wrap">
                <code>{c.cli}</code>
              </pre>
            </Card>
          </div>
        )}
        {tab === 'Logs' && <LogsPanel containerId={c.id} />}
        {tab === 'Terminal' && (
          <Suspense fallback={<p>Loading terminal…</p>}>
            <TerminalPanel containerId={c.id} />
          </Suspense>
        )}
        {tab === 'Stats' && <StatsPanel containerId={c.id} />}
        {tab === 'Health' && <HealthTimeline host={host} containerId={c.id} />}
        {tab === 'Files' && <FilesPanel containerId={c.id} canWrite={canWrite} />}
        {tab === 'Processes & updates' && (
          <UpdatesPanel containerId={c.id} running={c.state === 'running'} canWrite={canWrite} />
        )}
        {tab === 'Inspect' && (
          // It scrolls: focusable, so a keyboard can scroll it too.
          <pre className="json" tabIndex={0} role="region" aria-label="docker inspect">
            <code>{JSON.stringify(c.inspect, null, 2)}</code>
          </pre>
        )}
      </div>
      <ConfirmDialog
        open={confirmRemove}
        title={`Remove ${c.name}?`}
        confirmLabel="Remove"
        onConfirm={() => void remove()}
        onCancel={() => setConfirmRemove(false)}
      >
        <p>
          The container and its writable layer go; its anonymous data is lost. Named volumes stay.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
