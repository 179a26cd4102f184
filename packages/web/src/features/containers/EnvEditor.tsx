import type { ContainerCreated } from '@berth/contract';
import { useState } from 'react';
import { ApiError, client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Button, ErrorNotice } from '../../components/ui.js';
import { RecreateSteps } from './RecreateSteps.js';

/** Edits environment variables; saving recreates the container (the old one comes back on failure). */
export function EnvEditor({
  containerId,
  name,
  env,
  onRecreated,
}: {
  containerId: string;
  /** The container's name: the recreate's progress names it. */
  name: string;
  env: Record<string, string>;
  onRecreated: (r: ContainerCreated) => void;
}) {
  const host = useCurrentHost();
  const [text, setText] = useState(
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const save = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    const next = Object.fromEntries(
      text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => [
          l.slice(0, l.indexOf('=') < 0 ? l.length : l.indexOf('=')),
          l.includes('=') ? l.slice(l.indexOf('=') + 1) : '',
        ]),
    );
    try {
      onRecreated(
        await client.containers.recreate({
          params: { host, id: containerId },
          body: { env: next, validateSeconds: 5 },
        }),
      );
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'recreate_failed'
          ? new Error(`${err.message}`)
          : err,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <label htmlFor="env-editor">One NAME=value per line</label>
      <textarea id="env-editor" rows={5} value={text} onChange={(e) => setText(e.target.value)} />
      <ErrorNotice error={error} />
      <Button variant="primary" disabled={busy} onClick={() => void save()}>
        {busy ? 'Recreating…' : 'Save and recreate'}
      </Button>
      {busy && <RecreateSteps name={name} />}
    </div>
  );
}
