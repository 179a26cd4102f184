import {
  AlertRuleKind,
  AlertSeverity,
  type AlertRule,
  type AlertScope,
  type ChannelView,
} from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { FormDialog, useSave } from '../../components/FormDialog.js';
import { Field } from '../../components/ui.js';
import {
  draftOf,
  hasThreshold,
  KIND_LABELS,
  NEW_RULE,
  ruleBody,
  ruleUpdate,
  type RuleDraft,
} from './alert-view.js';
import { alertKeys } from './alert-queries.js';

const SCOPES: { type: AlertScope['type']; label: string }[] = [
  { type: 'all', label: 'Everything' },
  { type: 'host', label: 'A host' },
  { type: 'stack', label: 'A stack' },
  { type: 'label', label: 'A label' },
  { type: 'environment', label: 'An environment tag' },
];

function Select<T extends string>({
  id,
  label,
  value,
  options,
  onChange,
  disabled,
}: {
  id: string;
  label: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (value: T) => void;
  disabled?: boolean;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value as T)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A rule, new or to edit: what it watches, where, for how long, whom it tells. */
export function RuleDialog({
  rule,
  channels,
  onClose,
}: {
  rule: AlertRule | null;
  channels: ChannelView[];
  onClose: () => void;
}) {
  const queries = useQueryClient();
  const [d, setD] = useState<RuleDraft>(rule ? draftOf(rule) : NEW_RULE);
  const { errors, setErrors, failure, save } = useSave(onClose);
  const change = (patch: Partial<RuleDraft>): void => {
    setD((old) => ({ ...old, ...patch }));
    // A corrected field no longer carries the last check's complaint.
    setErrors((old) => Object.fromEntries(Object.entries(old).filter(([k]) => !(k in patch))));
  };
  const text = (key: keyof RuleDraft, label: string, error?: string, hint?: string) => (
    <Field
      label={label}
      value={String(d[key])}
      onChange={(e) => change({ [key]: e.target.value })}
      error={error ?? errors[key]}
      {...(hint ? { hint } : {})}
    />
  );
  const submit = (): void => {
    const made = ruleBody(d);
    if (!made.ok) return setErrors(made.errors);
    void save(async () => {
      if (rule)
        await client.alerts.updateRule({ params: { id: rule.id }, body: ruleUpdate(made.body) });
      else await client.alerts.createRule({ body: made.body });
      await queries.invalidateQueries({ queryKey: alertKeys.rules });
    });
  };
  return (
    <FormDialog
      title={rule ? `Edit ${rule.name}` : 'New alert rule'}
      side
      submitLabel={rule ? 'Save' : 'Add rule'}
      failure={failure}
      onSubmit={submit}
      onClose={onClose}
    >
      {text('name', 'Name')}
      <Select
        id="rule-kind"
        label="Watches"
        value={d.kind}
        disabled={rule !== null}
        options={AlertRuleKind.options.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
        onChange={(kind) => change({ kind })}
      />
      {hasThreshold(d.kind) &&
        text(
          'threshold',
          'Threshold (%)',
          undefined,
          'Empty: the default from the hardware profile',
        )}
      <Select
        id="rule-scope"
        label="Applies to"
        value={d.scopeType}
        options={SCOPES.map((s) => ({ value: s.type, label: s.label }))}
        onChange={(scopeType) => change({ scopeType })}
      />
      {(d.scopeType === 'host' || d.scopeType === 'stack') &&
        text(
          'scopeHost',
          d.scopeType === 'stack' ? 'On host (empty: any)' : 'Host',
          errors['scope.host'],
        )}
      {d.scopeType === 'stack' && text('scopeStack', 'Stack', errors['scope.stack'])}
      {d.scopeType === 'label' && (
        <div className="row-fields">
          {text('scopeKey', 'Label key', errors['scope.key'])}
          {text('scopeValue', 'Label value', errors['scope.value'])}
        </div>
      )}
      {d.scopeType === 'environment' &&
        text('scopeEnvironment', 'Environment tag', errors['scope.environment'])}
      <div className="row-fields">
        {text('forMinutes', 'For (minutes)', undefined, 'How long it must hold before firing')}
        {text('repeatMinutes', 'Repeat every (minutes)', undefined, '0: notify once')}
      </div>
      <Select
        id="rule-severity"
        label="Severity"
        value={d.severity}
        options={[
          { value: '' as const, label: 'By kind' },
          ...AlertSeverity.options.map((s) => ({ value: s, label: s })),
        ]}
        onChange={(severity) => change({ severity })}
      />
      <fieldset className="field">
        <legend>Notify</legend>
        {channels.length === 0 && <p className="muted">No notification channels yet.</p>}
        {channels.map((c) => (
          <label key={c.id} className="toggle">
            <input
              type="checkbox"
              checked={d.channels.includes(c.id)}
              onChange={(e) =>
                change({
                  channels: e.target.checked
                    ? [...d.channels, c.id]
                    : d.channels.filter((id) => id !== c.id),
                })
              }
            />{' '}
            {c.name} ({c.kind})
          </label>
        ))}
      </fieldset>
      <label className="toggle">
        <input
          type="checkbox"
          checked={d.notifyResolved}
          onChange={(e) => change({ notifyResolved: e.target.checked })}
        />{' '}
        Notify when resolved
      </label>
      <label className="toggle">
        <input
          type="checkbox"
          checked={d.enabled}
          onChange={(e) => change({ enabled: e.target.checked })}
        />{' '}
        Enabled
      </label>
    </FormDialog>
  );
}
