import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode } from 'react';
import { useId } from 'react';
import { ApiError, NetworkError } from '../api/client.js';

export function Button({
  variant = 'default',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'default' | 'primary' | 'danger' }) {
  return (
    <button type="button" {...props} className={`btn btn-${variant} ${props.className ?? ''}`} />
  );
}

export function Field({
  label,
  error,
  hint,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  error?: string | undefined;
  hint?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...input}
      />
      <FieldNote id={id} error={error} hint={hint} />
    </div>
  );
}

/** Under a control: the error (announced, and what aria-describedby points at) or the hint. */
export function FieldNote({
  id,
  error,
  hint,
}: {
  id: string;
  error?: string | undefined;
  hint?: string | undefined;
}) {
  if (error)
    return (
      <small id={`${id}-error`} className="field-error" role="alert">
        {error}
      </small>
    );
  return hint ? <small className="hint">{hint}</small> : null;
}

export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'info';
  children: ReactNode;
}) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function Card({
  title,
  children,
  actions,
}: {
  title?: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="card">
      {(title ?? actions) && (
        <header className="card-head">
          {title && <h2>{title}</h2>}
          {actions}
        </header>
      )}
      {children}
    </section>
  );
}

export function Page({
  title,
  actions,
  children,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <main className="page" aria-labelledby="page-title">
      <header className="page-head">
        <h1 id="page-title">{title}</h1>
        <div className="page-actions">{actions}</div>
      </header>
      {children}
    </main>
  );
}

/** The API's error, said plainly. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  const message =
    error instanceof ApiError
      ? error.message
      : error instanceof NetworkError
        ? 'Berth cannot be reached right now.'
        : error instanceof Error
          ? error.message
          : 'Something went wrong';
  return (
    <p className="notice notice-bad" role="alert">
      {message}
    </p>
  );
}

export function stateTone(state: string): 'good' | 'warn' | 'bad' | 'neutral' {
  if (state === 'running' || state === 'healthy') return 'good';
  if (state === 'paused' || state === 'restarting' || state === 'created' || state === 'starting')
    return 'warn';
  if (state === 'exited' || state === 'dead' || state === 'unhealthy') return 'bad';
  return 'neutral';
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 10 || unit === 0 ? 0 : 1)} ${units[unit] ?? 'B'}`;
}

/** "1 image", "3 images": a count with its noun (regular English plurals only). */
export function countOf(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

/** The one row of a table with nothing to show: none at all, or none that the filters keep. */
export function EmptyRow({
  columns,
  total,
  none,
  noMatch,
}: {
  columns: number;
  total: number;
  none: string;
  noMatch: string;
}) {
  return (
    <tr>
      <td colSpan={columns} className="muted">
        {total === 0 ? none : noMatch}
      </td>
    </tr>
  );
}
