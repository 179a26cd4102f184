import type { BrokenVolumeBackup } from '@berth/contract';
import { Button, formatBytes } from '../../components/ui.js';

/**
 * A backup whose files Berth cannot read (a cut-off index, a missing or unreadable archive):
 * shown with what is wrong, and deletable, instead of hiding it or failing the whole list.
 */
export function BrokenBackupRow({
  backup,
  canWrite,
  onDelete,
}: {
  backup: BrokenVolumeBackup;
  canWrite: boolean;
  onDelete: (backup: BrokenVolumeBackup) => void;
}) {
  return (
    <li className="backup-row backup-broken" data-testid={`backup-${backup.id}`}>
      <div>
        <strong className="backup-broken-badge">Broken</strong>{' '}
        {backup.createdAt && (
          <time dateTime={backup.createdAt}>{new Date(backup.createdAt).toLocaleString()}</time>
        )}
        {backup.sizeBytes !== null && ` · ${formatBytes(backup.sizeBytes)}`}{' '}
        <span className="muted">({backup.id})</span>
      </div>
      <p className="backup-problem" role="note">
        This backup cannot be used: {backup.problem.message}.
      </p>
      {canWrite && (
        <div className="backup-actions">
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
    </li>
  );
}
