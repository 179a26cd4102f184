import { useSyncExternalStore } from 'react';

const KEY = 'berth.showCommands';
const listeners = new Set<() => void>();

function read(): boolean {
  return localStorage.getItem(KEY) !== 'false';
}

export function setShowCommands(on: boolean): void {
  localStorage.setItem(KEY, String(on));
  for (const l of listeners) l();
}

export function useShowCommands(): boolean {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    read,
    () => true,
  );
}

/** The equivalent docker command of what was (or will be) done, when the user wants to see it. */
export function CommandBlock({
  command,
  label = 'Equivalent command',
}: {
  command: string | null | undefined;
  label?: string;
}) {
  const show = useShowCommands();
  if (!show || !command) return null;
  return (
    <figure className="command">
      <figcaption>{label}</figcaption>
      <pre>
        <code data-testid="docker-command">{command}</code>
      </pre>
      <button
        type="button"
        className="btn btn-small"
        onClick={() => void navigator.clipboard.writeText(command)}
      >
        Copy
      </button>
    </figure>
  );
}
