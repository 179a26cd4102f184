import { useId, type ReactNode } from 'react';
import { FieldNote } from '../../components/ui.js';

/** A PEM text (certificate or key): pasted, or read from a file the admin chooses. */
export function PemField({
  label,
  value,
  onChange,
  error,
  hint,
  placeholder = '-----BEGIN …-----',
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  placeholder?: string;
}) {
  const id = useId();
  return (
    <div className="field pem-field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={3}
        spellCheck={false}
        value={value}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      <FilePick
        label={`Choose a file for ${label}`}
        onText={(text) => onChange(text.trim() ? `${text.trim()}\n` : '')}
      >
        or choose a file
      </FilePick>
      <FieldNote id={id} error={error} hint={hint} />
    </div>
  );
}

function FilePick({
  label,
  onText,
  children,
}: {
  label: string;
  onText: (text: string) => void;
  children: ReactNode;
}) {
  return (
    <label className="file-pick">
      <span>{children}</span>
      <input
        type="file"
        aria-label={label}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void file.text().then(onText);
        }}
      />
    </label>
  );
}
