import type { Alert } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { age, longTime } from '../../components/time.js';
import { Badge, Button, ErrorNotice } from '../../components/ui.js';
import { KIND_LABELS, SEVERITY_TONES } from './alert-view.js';
import { alertKeys } from './alert-queries.js';

const when = (iso: string | null): string => (iso ? longTime.format(new Date(iso)) : '');

/** Alerts, newest first: severity, rule, subject, since when, acknowledgement. */
export function AlertTable({
  alerts,
  canAck,
  onSilence,
  empty,
}: {
  alerts: Alert[];
  canAck: boolean;
  /** Opens the silence dialog for this alert (admins). */
  onSilence?: ((alert: Alert) => void) | undefined;
  empty: string;
}) {
  const queries = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const ack = async (id: string): Promise<void> => {
    setError(null);
    setBusy(id);
    try {
      await client.alerts.ack({ params: { id } });
      await queries.invalidateQueries({ queryKey: alertKeys.alerts });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  if (alerts.length === 0) return <p className="muted">{empty}</p>;
  return (
    <>
      <ErrorNotice error={error} />
      <ul className="plain alert-list" data-testid="alert-list">
        {alerts.map((a) => (
          <li key={a.id} className={`alert-item alert-${a.state}`} data-testid="alert">
            <div className="alert-head">
              <Badge tone={a.state === 'firing' ? SEVERITY_TONES[a.severity] : 'neutral'}>
                {a.state === 'firing' ? a.severity : 'resolved'}
              </Badge>
              <strong>{a.ruleName}</strong>
              <span className="muted">{KIND_LABELS[a.kind]}</span>
              <span className="alert-subject">{a.subject}</span>
            </div>
            <p className="alert-summary">{a.summary}</p>
            <div className="alert-facts muted">
              <span title={when(a.firedAt)}>fired {age(a.firedAt)}</span>
              {a.resolvedAt && <span title={when(a.resolvedAt)}>resolved {age(a.resolvedAt)}</span>}
              <span>
                {a.notifications === 1 ? '1 notification' : `${a.notifications} notifications`}
              </span>
              {a.silenced && <Badge tone="info">silenced</Badge>}
              {a.acknowledgedAt && (
                <span data-testid="acknowledged">
                  acknowledged by {a.acknowledgedBy ?? 'someone'} {age(a.acknowledgedAt)}
                </span>
              )}
            </div>
            {a.state === 'firing' && (canAck || onSilence) && (
              <div className="row-actions">
                {canAck && !a.acknowledgedAt && (
                  <Button
                    className="btn-small"
                    disabled={busy === a.id}
                    onClick={() => void ack(a.id)}
                  >
                    Acknowledge
                  </Button>
                )}
                {onSilence && (
                  <Button className="btn-small" onClick={() => onSilence(a)}>
                    Silence…
                  </Button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
