import { useId } from 'react';
import { Button, FieldNote } from '../../components/ui.js';
import type { AuthType, BasicUserRow, HeaderRow, MinRole, RouteDraft } from './route-draft.js';

const AUTH: { value: AuthType; label: string; line: string }[] = [
  { value: 'none', label: 'None', line: 'Anyone who reaches the address' },
  {
    value: 'basic',
    label: 'Basic auth',
    line: 'User names and passwords (stored as bcrypt hashes)',
  },
  {
    value: 'berth',
    label: 'Berth login',
    line: 'Not available yet: Berth cannot check its sign-in in front of a route, so such a route is not applied',
  },
];

/** Who may pass: nobody asked, basic-auth users, or people signed in to Berth. */
export function AuthFields({
  d,
  errors,
  change,
  editing,
}: {
  d: RouteDraft;
  errors: Record<string, string>;
  change: (patch: Partial<RouteDraft>) => void;
  /** Stored users keep their passwords unless new ones are typed. */
  editing: boolean;
}) {
  const roleId = useId();
  const setUser = (at: number, patch: Partial<BasicUserRow>): void =>
    change({ users: d.users.map((u, i) => (i === at ? { ...u, ...patch } : u)) });
  return (
    <fieldset className="field">
      <legend>Access</legend>
      {AUTH.map((a) => (
        <label key={a.value} className="toggle radio-line">
          <input
            type="radio"
            name="route-auth"
            value={a.value}
            checked={d.authType === a.value}
            // Kept for a route that already has it, so an edit can move it off.
            disabled={a.value === 'berth' && d.authType !== 'berth'}
            onChange={() => change({ authType: a.value })}
          />{' '}
          {a.label} <span className="muted">— {a.line}</span>
        </label>
      ))}
      {d.authType === 'basic' && (
        <div className="proxy-rows">
          {d.users.map((u, i) => (
            <UserRow
              key={i}
              at={i}
              user={u}
              errors={errors}
              editing={editing}
              onChange={(patch) => setUser(i, patch)}
              onRemove={
                d.users.length > 1
                  ? () => change({ users: d.users.filter((_, j) => j !== i) })
                  : undefined
              }
            />
          ))}
          <FieldNote id={`${roleId}-users`} error={errors.users} />
          <Button
            className="btn-small"
            onClick={() => change({ users: [...d.users, { username: '', password: '' }] })}
          >
            Add user
          </Button>
        </div>
      )}
      {d.authType === 'berth' && (
        <div className="field">
          <label htmlFor={roleId}>At least</label>
          <select
            id={roleId}
            value={d.minRole}
            onChange={(e) => change({ minRole: e.target.value as MinRole })}
          >
            <option value="viewer">viewer</option>
            <option value="operator">operator</option>
            <option value="admin">admin</option>
          </select>
        </div>
      )}
    </fieldset>
  );
}

function UserRow({
  at,
  user,
  errors,
  editing,
  onChange,
  onRemove,
}: {
  at: number;
  user: BasicUserRow;
  errors: Record<string, string>;
  editing: boolean;
  onChange: (patch: Partial<BasicUserRow>) => void;
  onRemove: (() => void) | undefined;
}) {
  const id = useId();
  const nameError = errors[`users.${at}.username`];
  const passwordError = errors[`users.${at}.password`];
  return (
    <div className="row-fields">
      <div className="field">
        <label htmlFor={`${id}-name`}>User {at + 1}</label>
        <input
          id={`${id}-name`}
          value={user.username}
          autoComplete="off"
          onChange={(e) => onChange({ username: e.target.value })}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? `${id}-name-error` : undefined}
        />
        <FieldNote id={`${id}-name`} error={nameError} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password of user {at + 1}</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="new-password"
          value={user.password}
          placeholder={editing ? 'unchanged' : ''}
          onChange={(e) => onChange({ password: e.target.value })}
          aria-invalid={passwordError ? true : undefined}
          aria-describedby={passwordError ? `${id}-password-error` : undefined}
        />
        <FieldNote id={`${id}-password`} error={passwordError} />
      </div>
      {onRemove && (
        <Button
          className="btn-small proxy-row-remove"
          onClick={onRemove}
          aria-label={`Remove user ${at + 1}`}
        >
          Remove
        </Button>
      )}
    </div>
  );
}

/** Headers set on the way to the target or on the answer: name and value rows. */
export function HeaderRows({
  legend,
  rows,
  error,
  onChange,
}: {
  legend: string;
  rows: HeaderRow[];
  error: string | undefined;
  onChange: (rows: HeaderRow[]) => void;
}) {
  const id = useId();
  const set = (at: number, patch: Partial<HeaderRow>): void =>
    onChange(rows.map((r, i) => (i === at ? { ...r, ...patch } : r)));
  return (
    <fieldset className="field">
      <legend>{legend}</legend>
      {rows.map((r, i) => (
        <div key={i} className="row-fields">
          <div className="field">
            <label htmlFor={`${id}-${i}-name`}>{`${legend}: name ${i + 1}`}</label>
            <input
              id={`${id}-${i}-name`}
              value={r.name}
              onChange={(e) => set(i, { name: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-${i}-value`}>{`${legend}: value ${i + 1}`}</label>
            <input
              id={`${id}-${i}-value`}
              value={r.value}
              onChange={(e) => set(i, { value: e.target.value })}
            />
          </div>
          <Button
            className="btn-small proxy-row-remove"
            aria-label={`Remove ${legend.toLowerCase()} ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            Remove
          </Button>
        </div>
      ))}
      <FieldNote id={id} error={error} />
      <Button className="btn-small" onClick={() => onChange([...rows, { name: '', value: '' }])}>
        Add header
      </Button>
    </fieldset>
  );
}
