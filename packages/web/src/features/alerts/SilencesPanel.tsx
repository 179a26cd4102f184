import type { AlertRule, Silence } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { longTime } from '../../components/time.js';
import { Badge, Button, ErrorNotice } from '../../components/ui.js';
import { alertKeys, useSilences } from './alert-queries.js';
import { SilenceDialog } from './SilenceDialog.js';

function matcherText(s: Silence, rules: AlertRule[]): string {
  const m = s.matchers;
  return [
    m.ruleId && `rule ${rules.find((r) => r.id === m.ruleId)?.name ?? m.ruleId}`,
    m.host && `host ${m.host}`,
    m.container && `container ${m.container}`,
    m.label && `label ${m.label.key}=${m.label.value}`,
  ]
    .filter(Boolean)
    .join(', ');
}

/** Silences, active first: what they match, until when, who made them; admins add and end them. */
export function SilencesPanel({ isAdmin, rules }: { isAdmin: boolean; rules: AlertRule[] }) {
  const silences = useSilences();
  const queries = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const end = async (id: string): Promise<void> => {
    setError(null);
    try {
      await client.alerts.removeSilence({ params: { id } });
      await queries.invalidateQueries({ queryKey: alertKeys.silences });
    } catch (err) {
      setError(err);
    }
  };
  const list = [...(silences.data ?? [])].sort((a, b) => Number(b.active) - Number(a.active));
  return (
    <section aria-label="Silences">
      {isAdmin && (
        <div className="toolbar">
          <Button variant="primary" onClick={() => setAdding(true)}>
            New silence…
          </Button>
        </div>
      )}
      <ErrorNotice error={silences.error ?? error} />
      {silences.data && list.length === 0 && <p className="muted">No silences.</p>}
      <ul className="plain alert-list" data-testid="silences">
        {list.map((s) => (
          <li key={s.id} className="alert-item">
            <div className="alert-head">
              <Badge tone={s.active ? 'info' : 'neutral'}>{s.active ? 'active' : 'ended'}</Badge>
              <span>{matcherText(s, rules)}</span>
            </div>
            <div className="alert-facts muted">
              <span>
                {s.active ? 'until' : 'ended'} {longTime.format(new Date(s.endsAt))}
              </span>
              {s.createdBy && <span>by {s.createdBy}</span>}
              {s.comment && <span>“{s.comment}”</span>}
            </div>
            {isAdmin && s.active && (
              <div className="row-actions">
                <Button className="btn-small" onClick={() => void end(s.id)}>
                  End now
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {adding && <SilenceDialog seed={{}} rules={rules} onClose={() => setAdding(false)} />}
    </section>
  );
}
