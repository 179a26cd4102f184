import { RegistryUpdate, type RegistryView } from '@berth/contract';
import { useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { Button, ErrorNotice, Field } from '../../components/ui.js';

/**
 * Changes a registry's name, username, password or plain-HTTP flag. The stored password is never
 * shown: an empty password field keeps it, and only the fields that changed are sent.
 */
export function EditRegistry({
  registry,
  onSaved,
  onCancel,
}: {
  registry: RegistryView;
  onSaved: (changes: RegistryUpdate) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(registry.name);
  const [username, setUsername] = useState(registry.username);
  const [password, setPassword] = useState('');
  const [insecure, setInsecure] = useState(registry.insecure);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFailure(null);
    const parsed = RegistryUpdate.safeParse({
      ...(name !== registry.name ? { name } : {}),
      ...(username !== registry.username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(insecure !== registry.insecure ? { insecure } : {}),
    });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    if (Object.keys(parsed.data).length === 0) {
      onCancel();
      return;
    }
    setSaving(true);
    try {
      await client.registries.update({ params: { id: registry.id }, body: parsed.data });
      setPassword('');
      onSaved(parsed.data);
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="form registry-form"
      aria-label={`Edit ${registry.name}`}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <Field
        label="Name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      <Field
        label="Username"
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        error={errors.username}
        autoComplete="off"
      />
      <Field
        label="New password or token"
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={errors.password}
        autoComplete="new-password"
        hint="Leave empty to keep the stored one"
      />
      <div className="field checkbox-field">
        <label>
          <input
            type="checkbox"
            checked={insecure}
            onChange={(e) => setInsecure(e.target.checked)}
          />{' '}
          Plain HTTP (insecure registry)
        </label>
      </div>
      <span className="toolbar">
        <Button type="submit" variant="primary" disabled={saving}>
          Save changes
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </span>
      <ErrorNotice error={failure} />
    </form>
  );
}
