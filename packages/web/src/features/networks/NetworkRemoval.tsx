import type { NetworkSummary, PruneResult } from '@berth/contract';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { PruneDialog } from '../../components/PruneDialog.js';

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
export function NetworkPrune({ onDone }: { onDone: (outcome: NetworkOutcome) => void }) {
  const host = useCurrentHost();
  return (
    <PruneDialog
      title="Prune unused networks?"
      confirmLabel="Prune networks"
      empty="Every network is in use or built in: nothing to prune."
      describe={(p) =>
        `${p.removed.length === 1 ? 'This network has' : `These ${p.removed.length} networks have`} no container and will be removed:`
      }
      testId="network-prune-preview"
      run={(dryRun) => client.networks.prune({ params: { host }, body: { dryRun } })}
      onDone={(result) => onDone(pruneOutcome(result))}
    />
  );
}

/**
 * Remove one network. The engine refuses while containers use it, so the dialog names them and
 * offers no removal until they are disconnected.
 */
export function NetworkRemove({
  network,
  onClose,
  onDone,
  onError,
}: {
  /** The network to remove; null while the dialog is closed. */
  network: NetworkSummary | null;
  onClose: () => void;
  onDone: (outcome: NetworkOutcome) => void;
  onError: (error: unknown) => void;
}) {
  const host = useCurrentHost();
  if (!network) return null;
  const inUse = network.members.length > 0;
  const remove = async (): Promise<void> => {
    onClose();
    try {
      const done = await client.networks.remove({ params: { host, id: network.id } });
      onDone({ message: `Removed network ${network.name}`, cli: done.cli });
    } catch (err) {
      onError(err);
    }
  };
  return (
    <ConfirmDialog
      open
      title={inUse ? 'Network in use' : 'Remove network?'}
      confirmLabel="Remove network"
      confirmDisabled={inUse}
      onConfirm={() => void remove()}
      onCancel={onClose}
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
  );
}
