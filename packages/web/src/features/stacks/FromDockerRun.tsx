import type { FromRunResult } from '@berth/contract';
import { useState } from 'react';
import { ApiError, client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Dialog } from '../../components/Dialog.js';

/**
 * "From docker run…": a pasted command (quotes, backslash line continuations) becomes a compose
 * file through the server's converter; every flag it could not carry over is listed, never
 * dropped silently. The file replaces the editor's compose.yaml.
 */
export function FromDockerRun({ onConverted }: { onConverted: (result: FromRunResult) => void }) {
  const host = useCurrentHost();
  const [open, setOpen] = useState(false);
  const [command, setCommand] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const convert = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const result = await client.composeConvert.fromRun({
        params: { host },
        body: { command },
      });
      onConverted(result);
      setOpen(false);
      setCommand('');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="From docker run"
      description="Paste a docker run command: it becomes the stack's compose.yaml."
      open={open}
      onOpenChange={setOpen}
      wide
      trigger={
        <button type="button" className="btn btn-default">
          From docker run…
        </button>
      }
    >
      <label htmlFor="docker-run-command">docker run command</label>
      <textarea
        id="docker-run-command"
        rows={6}
        spellCheck={false}
        placeholder="docker run -d --name web -p 8080:80 nginx:alpine"
        value={command}
        onChange={(e) => setCommand(e.target.value)}
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || command.trim() === ''}
          onClick={() => void convert()}
        >
          Convert
        </button>
      </div>
    </Dialog>
  );
}
