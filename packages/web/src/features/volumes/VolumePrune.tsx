import type { PruneResult } from '@berth/contract';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { PruneDialog } from '../../components/PruneDialog.js';
import { formatBytes } from '../../components/ui.js';

/** Prune unused volumes: a dry run first lists what would go, then the user confirms. */
export function VolumePrune({ onDone }: { onDone: (result: PruneResult) => void }) {
  const host = useCurrentHost();
  return (
    <PruneDialog
      title="Prune unused volumes?"
      confirmLabel="Prune volumes"
      empty="No volume is unused: nothing to prune."
      describe={(p) =>
        `${p.removed.length === 1 ? 'This volume is' : `These ${p.removed.length} volumes are`} used by no container and will be removed with all their files (${formatBytes(p.reclaimedBytes)}):`
      }
      testId="prune-preview"
      run={(dryRun) => client.volumes.prune({ params: { host }, body: { dryRun } })}
      onDone={onDone}
    />
  );
}
