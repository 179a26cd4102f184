import { ChannelKind, type ChannelView } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { Dialog, DialogClose } from '../../components/Dialog.js';
import { Button, ErrorNotice, Field, FieldNote } from '../../components/ui.js';
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
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const kindId = useId();
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const checked = channel
      ? channelUpdate(channel, name, enabled, values)
      : channelCreate(kind, name, enabled, values);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    try {
      if (channel)
        await client.notifications.updateChannel({
          params: { id: channel.id },
          body: checked.body,
        });
      else await client.notifications.createChannel({ body: checked.body as never });
      await queries.invalidateQueries({ queryKey: ['notifications'] });
      onClose();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    }
  };
  return (
    <Dialog
      title={channel ? `Edit ${channel.name}` : 'New notification channel'}
      open
      side
      onOpenChange={(open) => !open && onClose()}
    >
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
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
            onChange={(v) => setValues((old) => ({ ...old, [f.key]: v }))}
          />
        ))}
        <label className="toggle">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{' '}
          Enabled
        </label>
        <ErrorNotice error={failure} />
        <div className="dialog-actions">
          <DialogClose asChild>
            <Button>Cancel</Button>
          </DialogClose>
          <Button type="submit" variant="primary">
            {channel ? 'Save' : 'Add channel'}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
