import type { AgentStatus, Host } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Dialog } from '../../components/Dialog.js';
import { Button, ErrorNotice } from '../../components/ui.js';
import { REPAIR_HINT } from './agent-view.js';

/** Runs one agent action, then reads the host list again (the card shows the new state). */
function useAgentAction(action: () => Promise<AgentStatus>) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (): Promise<AgentStatus | null> => {
    setBusy(true);
    setError(null);
    try {
      const status = await action();
      await queryClient.invalidateQueries({ queryKey: keys.hosts, exact: true });
      return status;
    } catch (err) {
      setError(err);
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/**
 * Asks before the agent's key is rotated, then shows the new fingerprint beside the old one.
 * The agent makes the new pair itself, so it must be connected.
 */
export function RotateKeyDialog({ host, onClose }: { host: Host; onClose: () => void }) {
  const before = host.agent?.keyFingerprint ?? null;
  const [after, setAfter] = useState<string | null>(null);
  const { busy, error, run } = useAgentAction(() =>
    client.agents.rotateKey({ params: { host: host.id } }),
  );
  const rotate = async (): Promise<void> => {
    const status = await run();
    if (status) setAfter(status.keyFingerprint);
  };
  return (
    <Dialog
      title={after === null ? `Rotate the key of ${host.id}?` : `The key of ${host.id} was rotated`}
      open
      onOpenChange={(open) => !open && onClose()}
    >
      {after === null ? (
        <p>
          The agent makes a new key pair and reconnects with it; from then on Berth accepts only the
          new key. Its current key is <code className="fingerprint">{before ?? 'none'}</code>.
        </p>
      ) : (
        <div className="notice notice-good key-rotated" role="status" data-testid="agent-new-key">
          <p>The agent rotated its key: Berth accepts only the new one now.</p>
          <dl className="key-change">
            <dt>New key</dt>
            <dd>
              <code className="fingerprint">{after}</code>
            </dd>
            <dt>Old key</dt>
            <dd>
              <code>{before ?? 'none'}</code>
            </dd>
          </dl>
        </div>
      )}
      <ErrorNotice error={error} />
      <div className="dialog-actions">
        {after === null ? (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" onClick={() => void rotate()} disabled={busy}>
              {busy ? 'Rotating…' : 'Rotate key'}
            </Button>
          </>
        ) : (
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        )}
      </div>
    </Dialog>
  );
}

/** Asks before the agent is revoked, naming the host and how it is paired again. */
export function RevokeAgentDialog({
  host,
  onCancel,
  onDone,
}: {
  host: Host;
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  const { busy, error, run } = useAgentAction(() =>
    client.agents.revoke({ params: { host: host.id } }),
  );
  const revoke = async (): Promise<void> => {
    if (await run()) onDone(`Revoked the agent of ${host.id}: Berth refuses it. ${REPAIR_HINT}`);
  };
  return (
    <ConfirmDialog
      open
      title={`Revoke the agent of ${host.id}?`}
      confirmLabel={`Revoke ${host.id}`}
      confirmDisabled={busy}
      onConfirm={() => void revoke()}
      onCancel={onCancel}
    >
      <p>
        Its connection ends now and Berth refuses its key (
        <code className="fingerprint">{host.agent?.keyFingerprint ?? 'none'}</code>): the agent
        stops, and <strong>{host.id}</strong>&apos;s pages show it unreachable. The containers on
        its engine keep running.
      </p>
      <p className="muted">{REPAIR_HINT}</p>
      <ErrorNotice error={error} />
    </ConfirmDialog>
  );
}
