import type { StackVariable } from '@berth/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Trash2 } from 'lucide-react';
import { useState } from 'react';
import { ApiError, client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNotice } from '../../components/ui.js';

const variablesKey = (host: string) => [...keys.stacks(host), 'variables'] as const;

/** A row being edited; a kept secret's value stays what the server has until replaced. */
interface Row {
  key: number;
  name: string;
  value: string;
  secret: boolean;
  /** A secret saved before: its value is masked, and sent back as it was unless replaced. */
  sealed: boolean;
}

let nextKey = 0;
const rowOf = (v: StackVariable): Row => ({
  key: nextKey++,
  name: v.name,
  value: v.value ?? '',
  secret: v.secret,
  sealed: v.secret,
});

/**
 * "Variables": the host's global stack variables (a stack's .env overrides them). Admins list,
 * add, edit and delete them; a secret one's value is never shown back, only replaced. Others
 * see the names, read-only.
 */
export function StackVariablesPanel({ canEdit }: { canEdit: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog
      title="Stack variables"
      description="Global to this host's stacks, for ${NAME} in compose files; a stack's .env overrides them."
      side
      open={open}
      onOpenChange={setOpen}
      trigger={
        <button type="button" className="btn btn-default">
          Variables
        </button>
      }
    >
      <VariablesBody canEdit={canEdit} onSaved={() => setOpen(false)} />
    </Dialog>
  );
}

function VariablesBody({ canEdit, onSaved }: { canEdit: boolean; onSaved: () => void }) {
  const host = useCurrentHost();
  const query = useQuery({
    queryKey: variablesKey(host),
    queryFn: async () => (await client.stacks.variables({ params: { host } })).variables,
  });
  if (query.isPending) return <p className="loading">Loading…</p>;
  if (query.isError) return <ErrorNotice error={query.error} />;
  if (!canEdit) return <ReadOnlyVariables variables={query.data} />;
  return <VariablesForm initial={query.data} onSaved={onSaved} />;
}

function ReadOnlyVariables({ variables }: { variables: StackVariable[] }) {
  if (variables.length === 0) return <p className="muted">No variables on this host.</p>;
  return (
    <>
      <p className="muted">Only an admin can change them.</p>
      <ul className="plain stack-variables" aria-label="Variables">
        {variables.map((v) => (
          <li key={v.name} data-testid="stack-variable">
            <code>{v.name}</code> {v.secret && <span className="badge badge-neutral">secret</span>}
          </li>
        ))}
      </ul>
    </>
  );
}

function VariablesForm({ initial, onSaved }: { initial: StackVariable[]; onSaved: () => void }) {
  const host = useCurrentHost();
  const [rows, setRows] = useState<Row[]>(() => initial.map(rowOf));
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();
  const change = (key: number, patch: Partial<Row>): void =>
    setRows((all) => all.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const save = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const saved = await client.stacks.setVariables({
        params: { host },
        body: {
          variables: rows.map((r) => ({ name: r.name.trim(), value: r.value, secret: r.secret })),
        },
      });
      queryClient.setQueryData(variablesKey(host), saved.variables);
      onSaved();
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fieldErrors());
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="stack-variables-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {rows.length === 0 && <p className="muted">No variables yet.</p>}
      <ul className="plain stack-variables" aria-label="Variables">
        {rows.map((r, i) => {
          const nameError = fields[`variables.${i}.name`];
          const valueError = fields[`variables.${i}.value`];
          const label = r.name || `variable ${i + 1}`;
          return (
            <li key={r.key} className="stack-variable" data-testid="stack-variable">
              <div className="field">
                <label htmlFor={`var-name-${r.key}`}>Name</label>
                <input
                  id={`var-name-${r.key}`}
                  value={r.name}
                  spellCheck={false}
                  aria-invalid={nameError ? true : undefined}
                  onChange={(e) => change(r.key, { name: e.target.value })}
                />
                {nameError && <small className="field-error">{nameError}</small>}
              </div>
              <div className="field">
                <label htmlFor={`var-value-${r.key}`}>Value</label>
                {r.sealed ? (
                  <div className="sealed-value">
                    <span className="muted" data-testid="masked-value">
                      ••••••••
                    </span>
                    <button
                      type="button"
                      id={`var-value-${r.key}`}
                      className="btn btn-small"
                      aria-label={`Replace the value of ${label}`}
                      onClick={() => change(r.key, { sealed: false, value: '' })}
                    >
                      Replace
                    </button>
                  </div>
                ) : (
                  <input
                    id={`var-value-${r.key}`}
                    type={r.secret ? 'password' : 'text'}
                    autoComplete="off"
                    spellCheck={false}
                    value={r.value}
                    onChange={(e) => change(r.key, { value: e.target.value })}
                  />
                )}
                {valueError && <small className="field-error">{valueError}</small>}
              </div>
              <label className="toggle">
                <input
                  type="checkbox"
                  role="switch"
                  checked={r.secret}
                  aria-label={`${label} is secret`}
                  onChange={(e) => change(r.key, { secret: e.target.checked })}
                />
                Secret
              </label>
              <button
                type="button"
                className="btn btn-icon"
                aria-label={`Delete ${label}`}
                onClick={() => setRows((all) => all.filter((x) => x.key !== r.key))}
              >
                <Trash2 size={16} aria-hidden />
              </button>
            </li>
          );
        })}
      </ul>
      <ErrorNotice error={error} />
      <div className="dialog-actions">
        <button
          type="button"
          className="btn btn-default"
          onClick={() =>
            setRows((all) => [
              ...all,
              { key: nextKey++, name: '', value: '', secret: false, sealed: false },
            ])
          }
        >
          Add variable
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          Save variables
        </button>
      </div>
    </form>
  );
}
