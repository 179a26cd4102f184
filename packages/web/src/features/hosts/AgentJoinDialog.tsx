import type { AgentJoin } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { Dialog } from '../../components/Dialog.js';
import { longTime } from '../../components/time.js';
import { Button, ErrorNotice, Field } from '../../components/ui.js';
import { PIN_CHECK_COMMAND, tokenExpiry } from './agent-view.js';

/** Re-renders every 30 s: the time a token has left, said relative to now, stays true. */
function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The command in a block that wraps (the token is long), with a button that copies it. */
function CopyCommand({
  command,
  onCopied,
  caption = 'Run this beside the engine (as a user that may use its Docker socket)',
  testId = 'agent-command',
  what,
}: {
  command: string;
  onCopied: () => void;
  caption?: string;
  testId?: string;
  /** Names the button when there is more than one command to copy. */
  what?: string;
}) {
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle');
  const write = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(command);
      setCopy('copied');
      onCopied();
    } catch {
      setCopy('failed');
    }
  };
  return (
    <figure className="join-command">
      <figcaption>
        <span>{caption}</span>
        <Button
          className="btn-small"
          onClick={() => void write()}
          aria-label={what ? `Copy ${what}` : undefined}
        >
          {copy === 'copied' ? 'Copied' : 'Copy'}
        </Button>
      </figcaption>
      <pre>
        <code data-testid={testId}>{command}</code>
      </pre>
      {copy === 'failed' && (
        <p className="field-error" role="alert">
          The browser did not let Berth copy it: select the command (one click selects it all) and
          copy it yourself.
        </p>
      )}
    </figure>
  );
}

/** The join answer, shown once: the command, when the token expires, Berth's pin to compare. */
function JoinAnswer({ join, onCopied }: { join: AgentJoin; onCopied: () => void }) {
  const now = useNow();
  return (
    <div className="join-answer" data-testid="agent-join">
      <CopyCommand command={join.command} onCopied={onCopied} />
      <details className="join-container">
        <summary>Or run it as a container, given the engine&apos;s socket</summary>
        <CopyCommand
          command={join.containerCommand}
          onCopied={onCopied}
          caption="The berth-agent image (built as docs/agent-container.md says); its key stays in the berth-agent volume"
          testId="agent-container-command"
          what="the container command"
        />
      </details>
      <p>
        The token works <strong>once</strong>, for one agent, and{' '}
        <strong data-testid="agent-expiry" title={longTime.format(new Date(join.expiresAt))}>
          {tokenExpiry(join.expiresAt, now)}
        </strong>
        . The agent dials <code>{join.serverUrl}</code>: if its machine knows Berth by another
        address, change <code className="nowrap">--server</code> (the token stays the same).
      </p>
      <p>
        Before it sends the token, the agent checks that Berth&apos;s TLS key is this one:{' '}
        <code className="fingerprint" data-testid="agent-pin">
          {join.pin}
        </code>
        . To compare it, run <code className="wrap-code">{PIN_CHECK_COMMAND}</code> on the Berth
        machine (in its data directory).
      </p>
      <p className="notice notice-warn" role="note">
        This command is shown only now: Berth keeps a hash of the token, not the token. If it is
        lost, make a new join token on the host&apos;s card.
      </p>
    </div>
  );
}

/** Asks how long a new token works and where the agent dials, then shows its answer. */
function JoinTokenForm({ host, onJoin }: { host: string; onJoin: (join: AgentJoin) => void }) {
  const queryClient = useQueryClient();
  const [minutes, setMinutes] = useState('15');
  const [serverUrl, setServerUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const join = await client.agents.joinToken({
        params: { host },
        body: {
          ...(minutes.trim() ? { expiresInMinutes: Number(minutes) } : {}),
          ...(serverUrl.trim() ? { serverUrl: serverUrl.trim() } : {}),
        },
      });
      await queryClient.invalidateQueries({ queryKey: keys.hosts, exact: true });
      onJoin(join);
    } catch (err) {
      if (err instanceof ApiError) setFields(err.fieldErrors());
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)}>
      <p>
        To re-pair its agent (lost, revoked or moved to another machine). A new token replaces one
        not yet used; the agent&apos;s current key goes on working until an agent pairs with the new
        token, which gives it a new key.
      </p>
      <Field
        label="Expires in (minutes)"
        type="number"
        min={1}
        max={1440}
        value={minutes}
        onChange={(e) => setMinutes(e.target.value)}
        hint="1 to 1440 (a day); 15 when left empty"
        error={fields.expiresInMinutes}
      />
      <Field
        label="Server URL the agent dials"
        value={serverUrl}
        placeholder={window.location.origin}
        onChange={(e) => setServerUrl(e.target.value)}
        hint="Leave empty for the address this browser uses"
        error={fields.serverUrl}
      />
      <ErrorNotice error={error} />
      <div className="dialog-actions">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? 'Making the token…' : 'Make join token'}
        </Button>
      </div>
    </form>
  );
}

/**
 * The join command of an agent host: just made with the host (`join`), or made here (re-pair).
 * It is shown once, so closing before it was copied asks again rather than lose it silently.
 */
export function AgentJoinDialog({
  host,
  join: first,
  onClose,
}: {
  host: string;
  join?: AgentJoin;
  onClose: (shown: boolean) => void;
}) {
  const [join, setJoin] = useState<AgentJoin | null>(first ?? null);
  const [copied, setCopied] = useState(false);
  const [warned, setWarned] = useState(false);
  const close = (): void => {
    if (join && !copied && !warned) setWarned(true);
    else onClose(join !== null);
  };
  return (
    <Dialog
      title={join ? `Start the agent of ${host}` : `New join token for ${host}`}
      open
      onOpenChange={(open) => !open && close()}
      wide
    >
      {join ? (
        <JoinAnswer join={join} onCopied={() => setCopied(true)} />
      ) : (
        <JoinTokenForm host={host} onJoin={setJoin} />
      )}
      {warned && !copied && (
        <p className="notice notice-bad" role="alert">
          You have not copied the command, and it is not shown again. Copy it first, or close anyway
          (a new join token can be made later).
        </p>
      )}
      {join && (
        <div className="dialog-actions">
          <Button variant="primary" onClick={close}>
            {warned && !copied ? 'Close anyway' : 'Done'}
          </Button>
        </div>
      )}
    </Dialog>
  );
}
