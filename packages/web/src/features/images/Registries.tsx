import {
  RegistryCreate,
  type RegistryTestResult,
  type RegistryUpdate,
  type RegistryView,
} from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { keys, useRegistries } from '../../api/queries.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Badge, Button, ErrorNotice, Field } from '../../components/ui.js';
import { EditRegistry } from './EditRegistry.js';

const EMPTY = { name: '', host: '', username: '', password: '', insecure: false };

/** Adds registry credentials. The password only ever travels to the server; the form forgets it. */
function AddRegistry({ onAdded }: { onAdded: () => void }) {
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const set =
    (key: 'name' | 'host' | 'username' | 'password') => (e: { target: { value: string } }) =>
      setForm({ ...form, [key]: e.target.value });
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFailure(null);
    const parsed = RegistryCreate.safeParse({ ...form, name: form.name || form.host });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    try {
      await client.registries.create({ body: parsed.data });
      setForm(EMPTY);
      onAdded();
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    }
  };
  return (
    <form className="form registry-form" onSubmit={(e) => void submit(e)} noValidate>
      <Field
        label="Registry host"
        value={form.host}
        onChange={set('host')}
        error={errors.host}
        placeholder="registry.example.com or 127.0.0.1:5000"
        required
      />
      <Field
        label="Display name"
        value={form.name}
        onChange={set('name')}
        error={errors.name}
        hint="Defaults to the host"
      />
      <Field
        label="Registry username"
        value={form.username}
        onChange={set('username')}
        error={errors.username}
        autoComplete="off"
        required
      />
      <Field
        label="Password or token"
        type="password"
        value={form.password}
        onChange={set('password')}
        error={errors.password}
        autoComplete="new-password"
        required
      />
      <div className="field checkbox-field">
        <label>
          <input
            type="checkbox"
            checked={form.insecure}
            onChange={(e) => setForm({ ...form, insecure: e.target.checked })}
          />{' '}
          Plain HTTP (insecure registry)
        </label>
      </div>
      <Button type="submit" variant="primary">
        Add registry
      </Button>
      <ErrorNotice error={failure} />
    </form>
  );
}

/**
 * The registries panel, for admins: list, add, edit, test the login, forget. Secrets never come
 * back.
 */
export function Registries() {
  const queries = useQueryClient();
  const registries = useRegistries(true);
  const [tests, setTests] = useState<Record<string, RegistryTestResult>>({});
  const [forgetting, setForgetting] = useState<RegistryView | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const refresh = (): void => void queries.invalidateQueries({ queryKey: keys.registries });

  const test = async (id: string): Promise<void> => {
    setError(null);
    try {
      const result = await client.registries.test({ params: { id } });
      setTests((old) => ({ ...old, [id]: result }));
    } catch (err) {
      setError(err);
    }
  };
  const edited = (id: string, changes: RegistryUpdate): void => {
    setEditing(null);
    // A login tested with the old credentials says nothing about the new ones.
    setTests((old) => Object.fromEntries(Object.entries(old).filter(([key]) => key !== id)));
    setSaved((old) => ({
      ...old,
      [id]: changes.password === undefined ? 'saved' : 'saved, new password stored',
    }));
    refresh();
  };
  const forget = async (): Promise<void> => {
    if (!forgetting) return;
    setError(null);
    try {
      await client.registries.remove({ params: { id: forgetting.id } });
      refresh();
    } catch (err) {
      setError(err);
    }
    setForgetting(null);
  };

  return (
    <>
      <ErrorNotice error={error ?? registries.error} />
      {registries.data?.length === 0 && <p className="muted">No registry credentials yet.</p>}
      <ul className="plain registries" aria-label="Registries">
        {registries.data?.map((r) => {
          const tested = tests[r.id];
          return (
            <li key={r.id} data-testid="registry">
              <strong>{r.name}</strong> <code>{r.host}</code>{' '}
              <span className="muted">as {r.username}</span>{' '}
              {r.insecure && <Badge tone="warn">plain HTTP</Badge>}
              <span className="toolbar">
                <Button
                  className="btn-small"
                  aria-label={`Edit ${r.name}`}
                  aria-expanded={editing === r.id}
                  onClick={() => setEditing(editing === r.id ? null : r.id)}
                >
                  Edit
                </Button>
                <Button
                  className="btn-small"
                  aria-label={`Test login to ${r.name}`}
                  onClick={() => void test(r.id)}
                >
                  Test login
                </Button>
                <Button
                  className="btn-small"
                  variant="danger"
                  aria-label={`Forget ${r.name}`}
                  onClick={() => setForgetting(r)}
                >
                  Forget
                </Button>
              </span>
              {editing === r.id && (
                <EditRegistry
                  registry={r}
                  onSaved={(changes) => edited(r.id, changes)}
                  onCancel={() => setEditing(null)}
                />
              )}
              {saved[r.id] && !tested && (
                <p role="status" data-testid="registry-saved">
                  <Badge tone="good">{saved[r.id]}</Badge>
                </p>
              )}
              {tested && (
                <p role="status" data-testid="registry-test">
                  <Badge tone={tested.ok ? 'good' : 'bad'}>
                    {tested.ok ? 'login ok' : 'login failed'}
                  </Badge>{' '}
                  {tested.message}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      {/* With none stored yet, adding one is what the panel is for: the form starts open. */}
      <details open={registries.data?.length === 0 ? true : undefined}>
        <summary>Add a registry</summary>
        <AddRegistry onAdded={refresh} />
      </details>
      <ConfirmDialog
        open={forgetting !== null}
        title={`Forget ${forgetting?.name ?? ''}?`}
        confirmLabel="Forget credentials"
        onConfirm={() => void forget()}
        onCancel={() => setForgetting(null)}
      >
        <p>
          Berth deletes the stored login for <code>{forgetting?.host}</code> (user{' '}
          {forgetting?.username}). Pulls, pushes and update checks against it become anonymous.
        </p>
      </ConfirmDialog>
    </>
  );
}
