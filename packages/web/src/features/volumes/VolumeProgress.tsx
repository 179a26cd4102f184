import { useEffect, useState } from 'react';
import { onProgress } from '../../api/live.js';
import { formatBytes } from '../../components/ui.js';

/** What the server last said about a backup or restore of one volume. */
export interface VolumeProgressState {
  status: string;
  /** The most bytes read so far: the server reports every MiB or so while copying. */
  bytes: number;
}

/**
 * Follows the progress the server emits on the host events socket for one volume's backup or
 * restore. The subject is the volume read (backup) or written (restore); null follows nothing.
 */
export function useVolumeProgress(
  operation: 'backup' | 'restore',
  subject: string | null,
): [VolumeProgressState | null, () => void] {
  const [state, setState] = useState<VolumeProgressState | null>(null);
  useEffect(() => {
    if (subject === null) return undefined;
    return onProgress((p) => {
      if (p.operation !== operation || p.subject !== subject) return;
      setState((old) => ({
        status: p.status,
        bytes:
          p.status === 'copying' ? Math.max(old?.bytes ?? 0, p.current ?? 0) : (old?.bytes ?? 0),
      }));
    });
  }, [operation, subject]);
  return [state, () => setState(null)];
}

/** A busy bar while the copy runs (its size is unknown up front) with how much is read so far. */
export function VolumeProgressLine({
  label,
  running,
  progress,
  testId,
}: {
  label: string;
  running: boolean;
  progress: VolumeProgressState | null;
  testId: string;
}) {
  if (!running && !progress) return null;
  return (
    <p className="volume-progress" data-testid={testId}>
      {running && <progress aria-label={label} />}
      <span aria-live="polite">
        {progress === null
          ? 'starting…'
          : progress.status === 'copying'
            ? `copying · ${formatBytes(progress.bytes)} so far`
            : progress.status}
      </span>
    </p>
  );
}
