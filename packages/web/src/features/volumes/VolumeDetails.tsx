import type { VolumeSummary } from '@berth/contract';
import { Link } from 'react-router';
import { Badge, formatBytes, stateTone } from '../../components/ui.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';

/** What a volume is: driver, size, where the engine keeps it, its labels and who mounts it. */
export function VolumeDetails({
  volume,
  sizeBytes,
}: {
  volume: VolumeSummary;
  /** undefined while the engine is still measuring; null when the driver cannot say. */
  sizeBytes: number | null | undefined;
}) {
  const host = useCurrentHost();
  const labels = Object.entries(volume.labels);
  return (
    <dl className="details" data-testid={`volume-details-${volume.name}`}>
      <dt>Driver</dt>
      <dd>
        <Badge>{volume.driver}</Badge>
      </dd>
      <dt>Size</dt>
      <dd>
        {sizeBytes === undefined
          ? 'measuring…'
          : sizeBytes === null
            ? 'unknown (the driver does not report it)'
            : formatBytes(sizeBytes)}
      </dd>
      <dt>Mountpoint</dt>
      <dd>
        <code>{volume.mountpoint}</code>
      </dd>
      {volume.createdAt && (
        <>
          <dt>Created</dt>
          <dd>{new Date(volume.createdAt).toLocaleString()}</dd>
        </>
      )}
      <dt>Labels</dt>
      <dd>
        {labels.length === 0 ? (
          'none'
        ) : (
          <ul className="plain">
            {labels.map(([key, value]) => (
              <li key={key}>
                <code>
                  {key}={value}
                </code>
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Used by</dt>
      <dd>
        {volume.usedBy.length === 0 ? (
          <Badge>unused</Badge>
        ) : (
          <ul className="plain">
            {volume.usedBy.map((u) => (
              <li key={u.id}>
                <Link to={hostPath(host, `containers/${u.name}`)}>{u.name}</Link>{' '}
                <Badge tone={stateTone(u.state)}>{u.state}</Badge> at <code>{u.destination}</code>
              </li>
            ))}
          </ul>
        )}
      </dd>
    </dl>
  );
}
