import { ChannelKind, type ChannelView } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { client } from '../../api/client.js';
import { FormDialog, useSave } from '../../components/FormDialog.js';
import { Field, FieldNote } from '../../components/ui.js';
import {
  CHANNEL_FIELDS,
  channelCreate,
  channelUpdate,
  DEFAULTS,
  hasStored,
  isSecret,
  KIND_NAMES,
  valuesOf,
  type ChannelField,
  type ChannelValues,
} from './channel-form.js';

function SettingInput({
  field,
  value,
  error,
  hint,
  onChange,
}: {
  field: ChannelField;
  value: string;
  error: string | undefined;
  hint: string | undefined;
  onChange: (value: string) => void;
}) {
  const id = useId();
  if (field.type === 'select' || field.type === 'textarea')
    return (
      <div className="field">
        <label htmlFor={id}>{field.label}</label>
        {field.type === 'select' ? (
          <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
            {field.options?.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        ) : (
          <textarea id={id} rows={3} value={value} onChange={(e) => onChange(e.target.value)} />
        )}
        <FieldNote id={id} error={error} hint={hint} />
      </div>
    );
  return (
    <Field
      label={field.label + (field.optional ? ' (optional)' : '')}
      type={field.type === 'password' ? 'password' : field.type === 'number' ? 'number' : 'text'}
      autoComplete={field.type === 'password' ? 'new-password' : 'off'}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      error={error}
      {...(hint ? { hint } : {})}
    />
  );
}

/** A channel, new (any kind) or to edit (its kind stays); its secrets are never shown. */
export function ChannelDialog({
  channel,
  onClose,
}: {
  channel: ChannelView | null;
  onClose: () => void;
}) {
  const queries = useQueryClient();
  const [kind, setKind] = useState<ChannelKind>(channel?.kind ?? 'webhook');
  const [name, setName] = useState(channel?.name ?? '');
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const [values, setValues] = useState<ChannelValues>(
    channel ? valuesOf(channel) : DEFAULTS.webhook,
  );
  const { errors, setErrors, failure, save } = useSave(onClose);
  const kindId = useId();
  const submit = (): void => {
    const saved = (step: () => Promise<unknown>): void =>
      void save(async () => {
        await step();
        await queries.invalidateQueries({ queryKey: ['notifications'] });
      });
    if (channel) {
      const checked = channelUpdate(channel, name, enabled, values);
      if (!checked.ok) return setErrors(checked.errors);
      const body = checked.body;
      return saved(() => client.notifications.updateChannel({ params: { id: channel.id }, body }));
    }
    const checked = channelCreate(kind, name, enabled, values);
    if (!checked.ok) return setErrors(checked.errors);
    const body = checked.body;
    saved(() => client.notifications.createChannel({ body }));
  };
  return (
    <FormDialog
      title={channel ? `Edit ${channel.name}` : 'New notification channel'}
      side
      submitLabel={channel ? 'Save' : 'Add channel'}
      failure={failure}
      onSubmit={submit}
      onClose={onClose}
    >
      <div className="field">
        <label htmlFor={kindId}>Kind</label>
        <select
          id={kindId}
          value={kind}
          disabled={channel !== null}
          onChange={(e) => {
            const next = e.target.value as ChannelKind;
            setKind(next);
            setValues(DEFAULTS[next]);
            setErrors({});
          }}
        >
          {ChannelKind.options.map((k) => (
            <option key={k} value={k}>
              {KIND_NAMES[k]}
            </option>
          ))}
        </select>
      </div>
      <Field
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      {CHANNEL_FIELDS[kind].map((f) => (
        <SettingInput
          key={`${kind}-${f.key}`}
          field={f}
          value={values[f.key] ?? ''}
          error={errors[f.key]}
          hint={
            isSecret(kind, f.key) && hasStored(channel, f.key)
              ? 'Stored, never shown: leave empty to keep it'
              : f.hint
          }
          onChange={(v) => {
            setValues((old) => ({ ...old, [f.key]: v }));
            // A corrected field no longer carries the last check's complaint.
            setErrors((old) =>
              Object.fromEntries(Object.entries(old).filter(([k]) => k !== f.key)),
            );
          }}
        />
      ))}
      <label className="toggle">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{' '}
        Enabled
      </label>
    </FormDialog>
  );
}
