import * as Tabs from '@radix-ui/react-tabs';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { client } from '../../api/client.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { TabStrip, tabId } from '../../components/TabStrip.js';
import { Badge, Button, ErrorNotice, Page } from '../../components/ui.js';
import '../../styles/resource-list.css';
import './services.css';
import { OutcomeNotice, useOutcome } from './useOutcome.js';
import { ScaleDialog, UpdateDialog, type ServiceOutcome } from './ServiceDialogs.js';
import { ServiceLogs } from './ServiceLogs.js';
import { TaskTable } from './TaskTable.js';
import { swarmTone, useService, useServiceTasks } from './service-queries.js';
import { portText, updateText } from './service-text.js';

const TABS = ['Tasks', 'Logs', 'Spec'] as const;
type Tab = (typeof TABS)[number];

/** One service: its tasks moving live, its logs, scale, update, rollback and remove. */
export default function ServicePage() {
  const host = useCurrentHost();
  const { id = '' } = useParams();
  const service = useService(host, id);
  const tasks = useServiceTasks(host, id);
  const { canWrite, outcome, actionError, setActionError, record } = useOutcome(host);
  const navigate = useNavigate();
  const [tab, setTab] = useState<Tab>('Tasks');
  const [dialog, setDialog] = useState<'scale' | 'update' | 'rollback' | 'remove' | null>(null);
  const s = service.data;
  const done = (result: ServiceOutcome): void => {
    setDialog(null);
    record(result);
  };
  const act = async (kind: 'rollback' | 'remove' | 'resume'): Promise<void> => {
    if (!s) return;
    setDialog(null);
    try {
      if (kind === 'resume') {
        const res = await client.services.resume({ params: { host, id: s.id } });
        done({ message: `Resumed the update of ${s.name}`, cli: res.cli });
      } else if (kind === 'rollback') {
        const res = await client.services.rollback({ params: { host, id: s.id } });
        done({ message: `Rolling ${s.name} back to its previous spec`, cli: res.cli });
      } else {
        await client.services.remove({ params: { host, id: s.id } });
        void navigate(hostPath(host, 'services'));
      }
    } catch (err) {
      setActionError(err);
    }
  };
  const panelId = 'service-panel';
  const visible = (tasks.data ?? []).filter(
    (t) => t.desiredState === 'running' || t.state !== 'shutdown',
  );

  return (
    <Page
      title={s ? `Service ${s.name}` : 'Service'}
      actions={
        canWrite &&
        s && (
          <>
            {s.mode === 'replicated' && <Button onClick={() => setDialog('scale')}>Scale</Button>}
            <Button onClick={() => setDialog('update')}>Update</Button>
            {(s.update?.state === 'paused' || s.update?.state === 'rollback_paused') && (
              <Button onClick={() => void act('resume')}>Resume update</Button>
            )}
            <Button onClick={() => setDialog('rollback')} disabled={!s.previousSpec}>
              Roll back
            </Button>
            <Button variant="danger" onClick={() => setDialog('remove')}>
              Remove
            </Button>
          </>
        )
      }
    >
      <p>
        <Link to={hostPath(host, 'services')}>All services</Link>
      </p>
      <ErrorNotice error={actionError ?? service.error} />
      <OutcomeNotice outcome={outcome} testId="service-outcome" />
      {s && (
        <dl className="svc-grid">
          <div>
            <dt>Image</dt>
            <dd>
              <code>{s.image.replace(/@sha256:[0-9a-f]+$/, '')}</code>
            </dd>
          </div>
          <div>
            <dt>Mode</dt>
            <dd>{s.mode === 'global' ? 'global' : `replicated ${s.replicas ?? 0}`}</dd>
          </div>
          <div>
            <dt>Tasks running</dt>
            <dd>
              <Badge tone={s.running === s.desired ? 'good' : 'warn'}>
                {s.running}/{s.desired}
              </Badge>
            </dd>
          </div>
          <div>
            <dt>Update</dt>
            <dd data-testid="service-update">
              <Badge tone={s.update ? swarmTone(s.update.state) : 'neutral'}>
                {updateText(s.update)}
              </Badge>
              {s.update?.message && <div className="muted">{s.update.message}</div>}
            </dd>
          </div>
          <div>
            <dt>Ports</dt>
            <dd>{s.ports.map(portText).join(', ') || 'none'}</dd>
          </div>
          <div>
            <dt>Stack</dt>
            <dd>{s.stack ?? 'none'}</dd>
          </div>
          <div>
            <dt>Secrets</dt>
            <dd>{s.secrets.map((x) => `${x.name} → ${x.target}`).join(', ') || 'none'}</dd>
          </div>
          <div>
            <dt>Networks</dt>
            <dd>{s.networks.map((n) => n.name ?? n.id.slice(0, 12)).join(', ') || 'none'}</dd>
          </div>
        </dl>
      )}
      <Tabs.Root value={tab} onValueChange={(value) => setTab(value as Tab)}>
        <TabStrip tabs={TABS} label="Service views" panelId={panelId} />
      </Tabs.Root>
      <div role="tabpanel" id={panelId} aria-labelledby={tabId(panelId, tab)}>
        {tab === 'Tasks' && <TaskTable tasks={visible} label={`Tasks of ${s?.name ?? id}`} />}
        {tab === 'Logs' && <ServiceLogs service={id} />}
        {tab === 'Spec' && s && (
          <pre className="svc-logs" tabIndex={0} aria-label="Spec">
            {JSON.stringify(s.spec, null, 2)}
          </pre>
        )}
      </div>
      {s && dialog === 'scale' && (
        <ScaleDialog service={s} onClose={() => setDialog(null)} onDone={done} />
      )}
      {s && dialog === 'update' && (
        <UpdateDialog service={s} onClose={() => setDialog(null)} onDone={done} />
      )}
      <ConfirmDialog
        open={dialog === 'rollback'}
        title={`Roll ${s?.name ?? ''} back?`}
        confirmLabel="Roll back"
        onConfirm={() => void act('rollback')}
        onCancel={() => setDialog(null)}
      >
        Tasks go back to the previous spec
        {s?.previousImage ? ` (image ${s.previousImage.replace(/@sha256:[0-9a-f]+$/, '')})` : ''}, a
        few at a time. It shows as a manual rollback.
        <CommandBlock command={s ? `docker service rollback ${s.name}` : null} />
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'remove'}
        title={`Remove ${s?.name ?? ''}?`}
        confirmLabel="Remove"
        onConfirm={() => void act('remove')}
        onCancel={() => setDialog(null)}
      >
        Its tasks stop and their containers are removed on every node.
        <CommandBlock command={s ? `docker service rm ${s.name}` : null} />
      </ConfirmDialog>
    </Page>
  );
}
