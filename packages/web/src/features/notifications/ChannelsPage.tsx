import type { ChannelView, DeliveryResult } from '@berth/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { useMe } from '../../api/queries.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Badge, Button, Card, ErrorNotice, Page } from '../../components/ui.js';
import '../../styles/monitoring.css';
import { KIND_NAMES, targetText } from './channel-form.js';
import { ChannelDialog } from './ChannelDialog.js';
import { Deliveries } from './Deliveries.js';

/** A test's outcome under its channel: sent, or failed with the reason. */
function TestOutcome({ result }: { result: DeliveryResult | 'sending' | undefined }) {
  if (result === undefined) return null;
  if (result === 'sending')
    return (
      <span className="muted" role="status">
        Sending a test…
      </span>
    );
  return result.status === 'sent' ? (
    <span role="status" className="test-outcome" data-testid="test-outcome">
      <Badge tone="good">sent</Badge> test delivered
    </span>
  ) : (
    <span role="alert" className="test-outcome" data-testid="test-outcome">
      <Badge tone="bad">{result.status}</Badge> {result.error ?? 'not delivered'}
    </span>
  );
}

/** Notification channels (admins): add, edit, send a test, delete; then the recent deliveries. */
export default function ChannelsPage() {
  const me = useMe();
  const isAdmin = me.data?.effectiveRole === 'admin';
  const channels = useQuery({
    queryKey: ['notifications', 'channels'],
    queryFn: async () => (await client.notifications.listChannels()).channels,
    enabled: isAdmin,
  });
  const queries = useQueryClient();
  const [editing, setEditing] = useState<ChannelView | 'new' | null>(null);
  const [removing, setRemoving] = useState<ChannelView | null>(null);
  const [tests, setTests] = useState<Record<string, DeliveryResult | 'sending'>>({});
  const [error, setError] = useState<unknown>(null);
  if (me.data && !isAdmin)
    return (
      <Page title="Notifications">
        <p className="notice">Only admins see and change notification channels.</p>
      </Page>
    );
  const test = async (id: string): Promise<void> => {
    setError(null);
    setTests((old) => ({ ...old, [id]: 'sending' }));
    try {
      const result = await client.notifications.testChannel({ params: { id } });
      setTests((old) => ({ ...old, [id]: result }));
      await queries.invalidateQueries({ queryKey: ['notifications', 'deliveries'] });
    } catch (err) {
      setTests((old) => Object.fromEntries(Object.entries(old).filter(([key]) => key !== id)));
      setError(err);
    }
  };
  const remove = async (id: string): Promise<void> => {
    setRemoving(null);
    try {
      await client.notifications.removeChannel({ params: { id } });
      await queries.invalidateQueries({ queryKey: ['notifications'] });
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page
      title="Notifications"
      actions={
        <Button variant="primary" onClick={() => setEditing('new')}>
          Add channel…
        </Button>
      }
    >
      <ErrorNotice error={channels.error ?? error} />
      <Card title="Channels">
        {channels.data?.length === 0 && (
          <p className="muted">No channels yet: alerts are recorded but tell no one.</p>
        )}
        <ul className="plain alert-list" data-testid="channels">
          {channels.data?.map((c) => (
            <li key={c.id} className="alert-item" data-testid="channel">
              <div className="alert-head">
                <Badge tone={c.enabled ? 'info' : 'neutral'}>
                  {c.enabled ? KIND_NAMES[c.kind] : 'off'}
                </Badge>
                <strong>{c.name}</strong>
                <span className="muted alert-subject">{targetText(c)}</span>
              </div>
              <div className="row-actions">
                <Button
                  className="btn-small"
                  onClick={() => void test(c.id)}
                  disabled={tests[c.id] === 'sending'}
                >
                  Send test
                </Button>
                <Button className="btn-small" onClick={() => setEditing(c)}>
                  Edit…
                </Button>
                <Button className="btn-small" variant="danger" onClick={() => setRemoving(c)}>
                  Delete
                </Button>
              </div>
              <TestOutcome result={tests[c.id]} />
            </li>
          ))}
        </ul>
      </Card>
      <Deliveries channels={channels.data ?? []} />
      {editing && (
        <ChannelDialog
          channel={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        open={removing !== null}
        title={`Delete ${removing?.name ?? 'the channel'}?`}
        confirmLabel="Delete"
        onConfirm={() => removing && void remove(removing.id)}
        onCancel={() => setRemoving(null)}
      >
        <p>Rules sending to it stop doing so; its delivery records go with it.</p>
      </ConfirmDialog>
    </Page>
  );
}
