import type { AlertRule } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Badge, Button, ErrorNotice } from '../../components/ui.js';
import { hasThreshold, KIND_LABELS, scopeText, SEVERITY_TONES } from './alert-view.js';
import { alertKeys, useChannels } from './alert-queries.js';
import { RuleDialog } from './RuleDialog.js';

/** The alert rules (admins): what each watches and where; add, edit, switch off, delete. */
export function RulesPanel({ rules, error }: { rules: AlertRule[]; error: unknown }) {
  const channels = useChannels(true);
  const queries = useQueryClient();
  const [editing, setEditing] = useState<AlertRule | 'new' | null>(null);
  const [removing, setRemoving] = useState<AlertRule | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const run = async (step: () => Promise<unknown>): Promise<void> => {
    setFailure(null);
    try {
      await step();
      await queries.invalidateQueries({ queryKey: alertKeys.rules });
    } catch (err) {
      setFailure(err);
    }
  };
  const channelName = (id: string): string => channels.data?.find((c) => c.id === id)?.name ?? id;
  return (
    <section aria-label="Rules">
      <div className="toolbar">
        <Button variant="primary" onClick={() => setEditing('new')}>
          New rule…
        </Button>
      </div>
      <ErrorNotice error={error ?? failure} />
      {rules.length === 0 && <p className="muted">No rules yet: nothing raises an alert.</p>}
      <ul className="plain alert-list" data-testid="rules">
        {rules.map((r) => (
          <li key={r.id} className="alert-item" data-testid="rule">
            <div className="alert-head">
              <Badge tone={r.enabled ? SEVERITY_TONES[r.severity] : 'neutral'}>
                {r.enabled ? r.severity : 'off'}
              </Badge>
              <strong>{r.name}</strong>
              <span className="muted">
                {KIND_LABELS[r.kind]}
                {hasThreshold(r.kind) &&
                  ` (${r.threshold === null ? 'default' : `${r.threshold} %`})`}
              </span>
            </div>
            <div className="alert-facts muted">
              <span>on {scopeText(r.scope)}</span>
              {r.forMinutes > 0 && <span>for {r.forMinutes} min</span>}
              <span>
                {r.repeatMinutes > 0 ? `repeats every ${r.repeatMinutes} min` : 'notifies once'}
              </span>
              <span>
                {r.channels.length === 0
                  ? 'no channels'
                  : `to ${r.channels.map(channelName).join(', ')}`}
              </span>
            </div>
            <div className="row-actions">
              <Button className="btn-small" onClick={() => setEditing(r)}>
                Edit…
              </Button>
              <Button
                className="btn-small"
                onClick={() =>
                  void run(() =>
                    client.alerts.updateRule({
                      params: { id: r.id },
                      body: { enabled: !r.enabled },
                    }),
                  )
                }
              >
                {r.enabled ? 'Turn off' : 'Turn on'}
              </Button>
              <Button className="btn-small" variant="danger" onClick={() => setRemoving(r)}>
                Delete
              </Button>
            </div>
          </li>
        ))}
      </ul>
      {editing && (
        <RuleDialog
          rule={editing === 'new' ? null : editing}
          channels={channels.data ?? []}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        open={removing !== null}
        title={`Delete ${removing?.name ?? 'the rule'}?`}
        confirmLabel="Delete"
        onConfirm={() => {
          const id = removing?.id;
          setRemoving(null);
          if (id) void run(() => client.alerts.removeRule({ params: { id } }));
        }}
        onCancel={() => setRemoving(null)}
      >
        <p>Its firing alerts resolve; their history stays.</p>
      </ConfirmDialog>
    </section>
  );
}
