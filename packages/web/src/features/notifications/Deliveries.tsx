import type { ChannelView } from '@berth/contract';
import { useQuery } from '@tanstack/react-query';
import { client } from '../../api/client.js';
import { longTime } from '../../components/time.js';
import { Badge, Card } from '../../components/ui.js';

const TONES = { sent: 'good', failed: 'bad', pending: 'warn' } as const;

/** The latest deliveries of every channel: what, where, sent or why not. */
export function Deliveries({ channels }: { channels: ChannelView[] }) {
  const deliveries = useQuery({
    queryKey: ['notifications', 'deliveries'],
    queryFn: async () =>
      (await client.notifications.deliveries({ query: { limit: 50 } })).deliveries,
    refetchInterval: 15_000,
  });
  const nameOf = (id: string, stored: string | null): string =>
    stored ?? channels.find((c) => c.id === id)?.name ?? id;
  return (
    <Card title="Recent deliveries">
      {deliveries.data?.length === 0 && <p className="muted">Nothing sent yet.</p>}
      {deliveries.data && deliveries.data.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Recent deliveries">
          <table className="simple deliveries" data-testid="deliveries">
            <thead>
              <tr>
                <th>When</th>
                <th>Channel</th>
                <th>Notification</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((d) => (
                <tr key={d.id}>
                  <td>{longTime.format(new Date(d.sentAt ?? d.createdAt))}</td>
                  <td>{nameOf(d.channelId, d.channelName)}</td>
                  <td>
                    {d.title} <span className="muted">({d.notificationStatus})</span>
                  </td>
                  <td>
                    <Badge tone={TONES[d.status]}>{d.status}</Badge>{' '}
                    {d.attempts > 1 && <span className="muted">{d.attempts} attempts </span>}
                    {d.lastError && <span className="delivery-error">{d.lastError}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
