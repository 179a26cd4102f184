import { usePreferences } from '../api/preferences.js';

/** The equivalent docker command of what was (or will be) done, when the user wants to see it. */
export function CommandBlock({
  command,
  label = 'Equivalent command',
}: {
  command: string | null | undefined;
  label?: string;
}) {
  const show = usePreferences().showCommands;
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
