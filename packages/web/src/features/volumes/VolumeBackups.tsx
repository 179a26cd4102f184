import type { ListedVolumeBackup, RestoreResult, VolumeSummary } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { keys, useVolumeBackups } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Button, ErrorNotice, formatBytes } from '../../components/ui.js';
import { BackupRow } from './BackupRow.js';
import { BrokenBackupRow } from './BrokenBackupRow.js';
import { useVolumeProgress, VolumeProgressLine } from './VolumeProgress.js';

/** One volume's backups: make one (with live progress), list, download, restore, delete. */
export function VolumeBackups({
  volume,
  volumes,
  canWrite,
}: {
  volume: VolumeSummary;
  volumes: string[];
  canWrite: boolean;
}) {
  const host = useCurrentHost();
  const queryClient = useQueryClient();
  const backups = useVolumeBackups(host, volume.name, true);
  const [stopUsers, setStopUsers] = useState(false);
  const [running, setRunning] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [deleting, setDeleting] = useState<ListedVolumeBackup | null>(null);
  const [progress, resetProgress] = useVolumeProgress('backup', volume.name);
  const params = { host, name: volume.name };
  const runningUsers = volume.usedBy.filter((u) => u.state === 'running');
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: keys.volumeBackups(host, volume.name) });

  const backup = async (): Promise<void> => {
    setError(null);
    setStatus('');
    resetProgress();
    setRunning(true);
    try {
      const made = await client.volumes.backup({ params, body: { stopContainers: stopUsers } });
      const stopped =
        made.stoppedContainers.length > 0
          ? `; stopped and started again: ${made.stoppedContainers.join(', ')}`
          : '';
      setStatus(`Backed up ${made.files} files (${formatBytes(made.sizeBytes)})${stopped}`);
      await refresh();
    } catch (err) {
      setError(err);
    } finally {
      setRunning(false);
    }
  };
  const remove = async (): Promise<void> => {
    if (!deleting) return;
    const gone = deleting;
    setDeleting(null);
    setError(null);
    try {
      await client.volumes.deleteBackup({ params: { ...params, backupId: gone.id } });
      setStatus(
        gone.createdAt
          ? `Deleted the backup of ${new Date(gone.createdAt).toLocaleString()}`
          : `Deleted backup ${gone.id}`,
      );
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const restored = (result: RestoreResult): void => {
    setError(null);
    setStatus(`Restored ${result.files} files into ${result.volume}`);
    void queryClient.invalidateQueries({ queryKey: keys.volumes(host) });
  };

  return (
    <div className="volume-backups panel-section">
      <div className="toolbar">
        {canWrite && (
          <>
            <Button onClick={() => void backup()} disabled={running}>
              Back up now
            </Button>
            <label className="check">
              <input
                type="checkbox"
                checked={stopUsers}
                onChange={(e) => setStopUsers(e.target.checked)}
              />{' '}
              Stop its containers during the backup
              {runningUsers.length > 0 && ` (${runningUsers.map((u) => u.name).join(', ')})`}
            </label>
          </>
        )}
        <span role="status" data-testid={`backup-status-${volume.name}`}>
          {status}
        </span>
      </div>
      <VolumeProgressLine
        label={`Backup of ${volume.name}`}
        running={running}
        progress={progress}
        testId={`backup-progress-${volume.name}`}
      />
      <ErrorNotice error={error ?? backups.error} />
      {canWrite && (
        <p className="hint">
          Restore into a new name to create that volume; an existing volume must be empty.
        </p>
      )}
      {backups.data && (
        <ul className="plain backups" aria-label={`Backups of ${volume.name}`}>
          {backups.data.length === 0 && <li className="muted">No backups yet.</li>}
          {backups.data.map((b) =>
            b.broken ? (
              <BrokenBackupRow key={b.id} backup={b} canWrite={canWrite} onDelete={setDeleting} />
            ) : (
              <BackupRow
                key={b.id}
                backup={b}
                volumes={volumes}
                canWrite={canWrite}
                onRestored={restored}
                onError={setError}
                onDelete={setDeleting}
              />
            ),
          )}
        </ul>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title="Delete backup?"
        confirmLabel="Delete backup"
        onConfirm={() => void remove()}
        onCancel={() => setDeleting(null)}
      >
        {deleting && (
          <p>
            The {deleting.broken ? 'broken ' : ''}backup of <strong>{volume.name}</strong>
            {deleting.createdAt && ` made ${new Date(deleting.createdAt).toLocaleString()}`} (
            {deleting.id}
            {deleting.sizeBytes !== null && `, ${formatBytes(deleting.sizeBytes)}`}) will be deleted
            for good.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
