import { useId, type ReactNode } from 'react';
import { Button, FieldNote } from '../../../components/ui.js';

/** A labelled textarea with the schema's message under it. */
export function TextArea({
  label,
  value,
  onChange,
  error,
  hint,
  rows = 3,
  placeholder,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  rows?: number;
  placeholder?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <FieldNote id={id} error={error} hint={hint} />
    </div>
  );
}

/** A labelled select over fixed options. */
export function Select<T extends string>({
  label,
  value,
  options,
  onChange,
  error,
}: {
  label: string;
  value: T;
  options: readonly (T | { value: T; label: string })[];
  onChange: (value: T) => void;
  error?: string | undefined;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => {
          const { value: v, label: l } = typeof o === 'string' ? { value: o, label: o } : o;
          return (
            <option key={v} value={v}>
              {l}
            </option>
          );
        })}
      </select>
      {error && (
        <small className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

/** A list of rows (ports, mounts, networks, devices) with add and remove. */
export function Rows<T>({
  noun,
  rows,
  onChange,
  create,
  render,
  error,
}: {
  noun: string;
  rows: T[];
  onChange: (rows: T[]) => void;
  create: () => T;
  render: (row: T, set: (patch: Partial<T>) => void, index: number) => ReactNode;
  error?: string | undefined;
}) {
  return (
    <div className="rows">
      {rows.map((row, i) => (
        <fieldset key={i} className="row-fields">
          <legend className="sr-only">
            {noun} {i + 1}
          </legend>
          {render(
            row,
            (patch) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r))),
            i,
          )}
          <Button
            className="btn-small"
            aria-label={`Remove ${noun.toLowerCase()} ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            Remove
          </Button>
        </fieldset>
      ))}
      {error && (
        <small className="field-error" role="alert">
          {error}
        </small>
      )}
      <Button className="btn-small" onClick={() => onChange([...rows, create()])}>
        Add {noun.toLowerCase()}
      </Button>
    </div>
  );
}
