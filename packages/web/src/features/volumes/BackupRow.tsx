import type { HealthyVolumeBackup, RestoreResult } from '@berth/contract';
import { useId, useState, type FormEvent } from 'react';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Button, Field, formatBytes } from '../../components/ui.js';
import { useVolumeProgress, VolumeProgressLine } from './VolumeProgress.js';

/**
 * One backup: when, how big, and (for those who may change things) download, restore into a
 * new volume or an existing empty one, delete.
 */
export function BackupRow({
  backup,
  volumes,
  canWrite,
  onRestored,
  onError,
  onDelete,
}: {
  backup: HealthyVolumeBackup;
  /** Names of the volumes on the host: restoring into one of them needs it empty. */
  volumes: string[];
  canWrite: boolean;
  onRestored: (result: RestoreResult) => void;
  onError: (error: unknown) => void;
  onDelete: (backup: HealthyVolumeBackup) => void;
}) {
  const host = useCurrentHost();
  const listId = useId();
  const [target, setTarget] = useState(`${backup.volume}-restored-${backup.id}`.slice(0, 255));
  const [running, setRunning] = useState(false);
  // Still followed after the answer: the last progress message may come a moment later.
  const [following, setFollowing] = useState<string | null>(null);
  const [progress, resetProgress] = useVolumeProgress('restore', following);
  const existing = volumes.includes(target.trim());
  const params = { host, name: backup.volume, backupId: backup.id };

  const restore = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const into = target.trim();
    resetProgress();
    setFollowing(into);
    setRunning(true);
    try {
      onRestored(await client.volumes.restore({ params, body: into ? { target: into } : {} }));
    } catch (err) {
      onError(err);
    } finally {
      setRunning(false);
    }
  };

  return (
    <li className="backup-row" data-testid={`backup-${backup.id}`}>
      <div>
        <time dateTime={backup.createdAt}>{new Date(backup.createdAt).toLocaleString()}</time> ·{' '}
        {formatBytes(backup.sizeBytes)} · {backup.files} files{' '}
        <span className="muted">({backup.id})</span>
        {backup.stoppedContainers.length > 0 && (
          <span className="muted">
            {' '}
            · stopped during copy: {backup.stoppedContainers.join(', ')}
          </span>
        )}
      </div>
      {canWrite && (
        <div className="backup-actions">
          <a
            className="btn btn-small"
            href={client.volumes.downloadBackup.url({ params })}
            download
            aria-label={`Download backup ${backup.id}`}
          >
            Download
          </a>
          <form className="restore-form" onSubmit={(e) => void restore(e)}>
            <Field
              label="Restore into volume"
              value={target}
              list={listId}
              required
              onChange={(e) => setTarget(e.target.value)}
            />
            <datalist id={listId}>
              {volumes.map((v) => (
                <option key={v} value={v} />
              ))}
            </datalist>
            <Button type="submit" className="btn-small" disabled={running}>
              {existing ? 'Restore into existing volume' : 'Restore into a new volume'}
            </Button>
          </form>
          <Button
            variant="danger"
            className="btn-small"
            aria-label={`Delete backup ${backup.id}`}
            onClick={() => onDelete(backup)}
          >
            Delete
          </Button>
        </div>
      )}
      <VolumeProgressLine
        label={`Restore of ${backup.id}`}
        running={running}
        progress={progress}
        testId={`restore-progress-${backup.id}`}
      />
    </li>
  );
}
