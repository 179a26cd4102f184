import type { PruneResult } from '@berth/contract';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { HOST } from '../../app/Layout.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Button, formatBytes } from '../../components/ui.js';

/** Prune unused volumes: a dry run first lists what would go, then the user confirms. */
export function VolumePrune({
  onDone,
  onError,
}: {
  onDone: (result: PruneResult) => void;
  onError: (error: unknown) => void;
}) {
  const [preview, setPreview] = useState<PruneResult | null>(null);
  const params = { host: HOST };

  const dryRun = async (): Promise<void> => {
    try {
      setPreview(await client.volumes.prune({ params, body: { dryRun: true } }));
    } catch (err) {
      onError(err);
    }
  };
  const prune = async (): Promise<void> => {
    setPreview(null);
    try {
      onDone(await client.volumes.prune({ params, body: { dryRun: false } }));
    } catch (err) {
      onError(err);
    }
  };

  return (
    <>
      <Button onClick={() => void dryRun()}>Prune unused volumes…</Button>
      <ConfirmDialog
        open={preview !== null}
        title="Prune unused volumes?"
        confirmLabel="Prune volumes"
        onConfirm={() => void prune()}
        onCancel={() => setPreview(null)}
      >
        {preview && preview.removed.length === 0 && <p>No volume is unused: nothing to prune.</p>}
        {preview && preview.removed.length > 0 && (
          <>
            <p>
              These {preview.removed.length} volumes are used by no container and will be removed
              with all their files ({formatBytes(preview.reclaimedBytes)}):
            </p>
            <ul className="plain prune-list" data-testid="prune-preview">
              {preview.removed.map((v) => (
                <li key={v.id}>
                  <code>{v.name}</code>
                </li>
              ))}
            </ul>
          </>
        )}
      </ConfirmDialog>
    </>
  );
}
