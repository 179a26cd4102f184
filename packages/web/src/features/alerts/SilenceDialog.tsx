import { SilenceCreate, type AlertRule } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { FormDialog, useSave } from '../../components/FormDialog.js';
import { Field } from '../../components/ui.js';
import { endsIn } from './alert-view.js';
import { alertKeys } from './alert-queries.js';

export interface SilenceSeed {
  ruleId?: string;
  host?: string;
  container?: string;
}

const DURATIONS = [
  { hours: 1, label: '1 hour' },
  { hours: 4, label: '4 hours' },
  { hours: 24, label: '1 day' },
  { hours: 168, label: '1 week' },
];

/** A new silence: what it matches (at least one of rule, host, container, label) and its end. */
export function SilenceDialog({
  seed,
  rules,
  onClose,
}: {
  seed: SilenceSeed;
  rules: AlertRule[];
  onClose: () => void;
}) {
  const queries = useQueryClient();
  const [ruleId, setRuleId] = useState(seed.ruleId ?? '');
  const [host, setHost] = useState(seed.host ?? '');
  const [container, setContainer] = useState(seed.container ?? '');
  const [labelKey, setLabelKey] = useState('');
  const [labelValue, setLabelValue] = useState('');
  const [hours, setHours] = useState(4);
  const [comment, setComment] = useState('');
  const { errors, setErrors, failure, save } = useSave(onClose);
  const submit = (): void => {
    const candidate = {
      matchers: {
        ...(ruleId ? { ruleId } : {}),
        ...(host.trim() ? { host: host.trim() } : {}),
        ...(container.trim() ? { container: container.trim() } : {}),
        ...(labelKey.trim() ? { label: { key: labelKey.trim(), value: labelValue } } : {}),
      },
      endsAt: endsIn(hours),
      comment,
    };
    const parsed = SilenceCreate.safeParse(candidate);
    if (!parsed.success) {
      setErrors(
        Object.fromEntries(
          parsed.error.issues.map((i) => [String(i.path.at(-1) ?? i.path[0]), i.message]),
        ),
      );
      return;
    }
    void save(async () => {
      await client.alerts.createSilence({ body: parsed.data });
      await queries.invalidateQueries({ queryKey: alertKeys.alerts });
    });
  };
  return (
    <FormDialog
      title="New silence"
      description="Matching alerts still fire and are recorded; their notifications wait until the silence ends."
      submitLabel="Silence"
      failure={failure}
      onSubmit={submit}
      onClose={onClose}
    >
      <div className="field">
        <label htmlFor="silence-rule">Rule</label>
        <select id="silence-rule" value={ruleId} onChange={(e) => setRuleId(e.target.value)}>
          <option value="">any rule</option>
          {rules.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
      <Field
        label="Host"
        value={host}
        onChange={(e) => setHost(e.target.value)}
        error={errors.host}
      />
      <Field
        label="Container"
        value={container}
        onChange={(e) => setContainer(e.target.value)}
        error={errors.container}
      />
      <div className="row-fields">
        <Field
          label="Label"
          placeholder="key"
          value={labelKey}
          onChange={(e) => setLabelKey(e.target.value)}
        />
        <Field
          label="Label value"
          value={labelValue}
          onChange={(e) => setLabelValue(e.target.value)}
        />
      </div>
      {errors.matchers && (
        <p className="field-error" role="alert">
          {errors.matchers}
        </p>
      )}
      <div className="field">
        <label htmlFor="silence-for">Ends in</label>
        <select id="silence-for" value={hours} onChange={(e) => setHours(Number(e.target.value))}>
          {DURATIONS.map((d) => (
            <option key={d.hours} value={d.hours}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      <Field label="Comment" value={comment} onChange={(e) => setComment(e.target.value)} />
    </FormDialog>
  );
}
