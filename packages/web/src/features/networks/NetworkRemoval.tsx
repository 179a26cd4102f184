import type { NetworkSummary, PruneResult } from '@berth/contract';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { HOST } from '../../app/Layout.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Button } from '../../components/ui.js';

/** What a removal or prune did, said plainly, with its docker equivalent. */
export interface NetworkOutcome {
  message: string;
  cli: string | null;
}

export function pruneOutcome(result: PruneResult): NetworkOutcome {
  const names = result.removed.map((r) => r.name).join(', ');
  const failed = result.failed.map((f) => `${f.id}: ${f.error}`).join('; ');
  return {
    message: `Pruned ${result.removed.length} networks${names ? ` (${names})` : ''}${
      failed ? `; could not remove ${failed}` : ''
    }`,
    cli: result.cli,
  };
}

/** Prune unused networks: a dry run lists what would go, then the user confirms. */
export function NetworkPrune({
  onDone,
  onError,
}: {
  onDone: (outcome: NetworkOutcome) => void;
  onError: (error: unknown) => void;
}) {
  const [preview, setPreview] = useState<PruneResult | null>(null);
  const params = { host: HOST };
  const dryRun = async (): Promise<void> => {
    try {
      setPreview(await client.networks.prune({ params, body: { dryRun: true } }));
    } catch (err) {
      onError(err);
    }
  };
  const prune = async (): Promise<void> => {
    setPreview(null);
    try {
      onDone(pruneOutcome(await client.networks.prune({ params, body: { dryRun: false } })));
    } catch (err) {
      onError(err);
    }
  };
  return (
    <>
      <Button onClick={() => void dryRun()}>Prune unused networks…</Button>
      <ConfirmDialog
        open={preview !== null}
        title="Prune unused networks?"
        confirmLabel="Prune networks"
        onConfirm={() => void prune()}
        onCancel={() => setPreview(null)}
      >
        {preview && preview.removed.length === 0 && (
          <p>Every network is in use or built in: nothing to prune.</p>
        )}
        {preview && preview.removed.length > 0 && (
          <>
            <p>These {preview.removed.length} networks have no container and will be removed:</p>
            <ul className="plain prune-list" data-testid="network-prune-preview">
              {preview.removed.map((n) => (
                <li key={n.id}>
                  <code>{n.name}</code>
                </li>
              ))}
            </ul>
          </>
        )}
      </ConfirmDialog>
    </>
  );
}

/**
 * Remove one network. The engine refuses while containers use it, so the dialog names them and
 * offers no removal until they are disconnected.
 */
export function NetworkRemove({
  network,
  onDone,
  onError,
}: {
  network: NetworkSummary;
  onDone: (outcome: NetworkOutcome) => void;
  onError: (error: unknown) => void;
}) {
  const [open, setOpen] = useState(false);
  const inUse = network.members.length > 0;
  const remove = async (): Promise<void> => {
    setOpen(false);
    try {
      const done = await client.networks.remove({ params: { host: HOST, id: network.id } });
      onDone({ message: `Removed network ${network.name}`, cli: done.cli });
    } catch (err) {
      onError(err);
    }
  };
  return (
    <>
      <Button
        variant="danger"
        className="btn-small"
        aria-label={`Remove network ${network.name}`}
        onClick={() => setOpen(true)}
      >
        Remove
      </Button>
      <ConfirmDialog
        open={open}
        title={inUse ? 'Network in use' : 'Remove network?'}
        confirmLabel="Remove network"
        confirmDisabled={inUse}
        onConfirm={() => void remove()}
        onCancel={() => setOpen(false)}
      >
        {inUse ? (
          <>
            <p>
              <strong>{network.name}</strong> cannot be removed while these containers use it;
              disconnect them first:
            </p>
            <ul className="plain" data-testid="network-users">
              {network.members.map((m) => (
                <li key={m.containerId}>
                  <code>{m.name}</code> {m.ipv4 ?? ''}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>
            <strong>{network.name}</strong> has no containers. Its range
            {network.reservations.length > 0
              ? ` and ${network.reservations.length} reserved addresses`
              : ''}{' '}
            will be released.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
