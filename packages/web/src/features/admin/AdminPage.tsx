import { Role, type SettingsUpdate, type UserUpdate } from '@berth/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, client } from '../../api/client.js';
import { useMe } from '../../api/queries.js';
import { Badge, Button, Card, ErrorNotice, Field, Page } from '../../components/ui.js';
import { AuditLog } from './AuditLog.js';
import { HostSecurityCard } from './HostSecurityCard.js';
import { SecurityCard } from './SecurityCard.js';
import { EditGrants, GrantsFields, grantsText, type Grants } from './UserGrants.js';

const NEW_USER = {
  username: '',
  password: '',
  role: 'viewer' as Role,
  hosts: ['local'],
  hostLabels: [] as string[],
};

function Users() {
  const queryClient = useQueryClient();
  const users = useQuery({
    queryKey: ['users'],
    queryFn: async () => (await client.users.list()).users,
  });
  const [form, setForm] = useState(NEW_USER);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const create = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    try {
      await client.users.create({ body: form });
      setForm(NEW_USER);
      setErrors({});
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setError(err);
    }
  };
  const update = async (id: string, body: UserUpdate): Promise<void> => {
    try {
      await client.users.update({ params: { id }, body });
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    } catch (err) {
      setError(err);
    }
  };
  const saveGrants = async (id: string, grants: Grants): Promise<void> => {
    await client.users.update({ params: { id }, body: grants });
    await queryClient.invalidateQueries({ queryKey: ['users'] });
  };
  return (
    <Card title="Users">
      <ErrorNotice error={error} />
      <table className="simple">
        <thead>
          <tr>
            <th>User</th>
            <th>Role</th>
            <th>Hosts</th>
            <th>2FA</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(users.data ?? []).map((u) => (
            <tr key={u.id}>
              <td>
                {u.username} {u.disabled && <Badge tone="bad">disabled</Badge>}
              </td>
              <td>
                <select
                  aria-label={`Role of ${u.username}`}
                  value={u.role}
                  onChange={(e) => void update(u.id, { role: Role.parse(e.target.value) })}
                >
                  <option>viewer</option>
                  <option>operator</option>
                  <option>admin</option>
                </select>
              </td>
              <td>
                {grantsText(u)}{' '}
                {u.role !== 'admin' && (
                  <EditGrants user={u} onSave={(grants) => saveGrants(u.id, grants)} />
                )}
              </td>
              <td>{u.totpEnabled ? 'on' : 'off'}</td>
              <td>
                <Button
                  className="btn-small"
                  onClick={() => void update(u.id, { disabled: !u.disabled })}
                >
                  {u.disabled ? 'Enable' : 'Disable'}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="form" onSubmit={(e) => void create(e)}>
        <h3>Add a user</h3>
        <Field
          label="New username"
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
          error={errors.username}
        />
        <Field
          label="Initial password"
          type="password"
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
          error={errors.password}
        />
        <div className="field">
          <label htmlFor="new-role">Role</label>
          <select
            id="new-role"
            value={form.role}
            onChange={(e) => setForm({ ...form, role: Role.parse(e.target.value) })}
          >
            <option>viewer</option>
            <option>operator</option>
            <option>admin</option>
          </select>
        </div>
        <GrantsFields
          key={users.dataUpdatedAt}
          value={form}
          onChange={(grants) => setForm({ ...form, ...grants })}
          errors={errors}
        />
        <Button type="submit" variant="primary">
          Add user
        </Button>
      </form>
    </Card>
  );
}

function MyAccount() {
  const queryClient = useQueryClient();
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: async () => (await client.tokens.list()).tokens,
  });
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const create = async (): Promise<void> => {
    const created = await client.tokens.create({ body: { name } });
    setSecret(created.secret);
    setName('');
    await queryClient.invalidateQueries({ queryKey: ['tokens'] });
  };
  const revoke = async (id: string): Promise<void> => {
    await client.tokens.remove({ params: { id } });
    await queryClient.invalidateQueries({ queryKey: ['tokens'] });
  };
  return (
    <Card title="My API tokens">
      <ul className="plain">
        {(tokens.data ?? []).map((t) => (
          <li key={t.id}>
            {t.name} ({t.prefix}…, {t.role}) last used{' '}
            {t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : 'never'}{' '}
            <Button className="btn-small" variant="danger" onClick={() => void revoke(t.id)}>
              Revoke
            </Button>
          </li>
        ))}
      </ul>
      <div className="toolbar">
        <Field label="Token name" value={name} onChange={(e) => setName(e.target.value)} />
        <Button onClick={() => void create()}>Create token</Button>
      </div>
      {secret && (
        <p className="notice" role="status">
          Copy it now, it is shown only once: <code>{secret}</code>
        </p>
      )}
    </Card>
  );
}

function InstanceSettings() {
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: ['settings'],
    queryFn: () => client.settings.get(),
  });
  const change = async (body: SettingsUpdate): Promise<void> => {
    await client.settings.update({ body });
    await queryClient.invalidateQueries({ queryKey: ['settings'] });
  };
  const s = settings.data;
  if (!s) return null;
  return (
    <Card title="Settings">
      <label className="toggle">
        <input
          type="checkbox"
          checked={s.require2faForAdmins}
          onChange={(e) => void change({ require2faForAdmins: e.target.checked })}
        />{' '}
        Require 2FA for admins
      </label>
      <label className="toggle">
        <input
          type="checkbox"
          checked={s.allowOverContainerLimit}
          onChange={(e) => void change({ allowOverContainerLimit: e.target.checked })}
        />{' '}
        Allow more containers than the hardware limit
      </label>
      <p>Audit entries are kept {s.auditRetentionDays} days.</p>
    </Card>
  );
}

/** Users and roles, tokens, settings and the audit log. */
export default function AdminPage() {
  const me = useMe();
  const isAdmin = me.data?.effectiveRole === 'admin';
  return (
    <Page title={isAdmin ? 'Administration' : 'My account'}>
      <div className="grid wide">
        <MyAccount />
        {me.data && <SecurityCard me={me.data} />}
        {isAdmin && <InstanceSettings />}
        {isAdmin && <HostSecurityCard />}
        {isAdmin && (
          <Card title="Notifications">
            <p>
              Where alerts are sent: <Link to="/admin/notifications">notification channels</Link>
            </p>
          </Card>
        )}
        {isAdmin && <Users />}
        {isAdmin && <AuditLog />}
      </div>
    </Page>
  );
}
