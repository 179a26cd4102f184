import type { ImageSummary, ImageUpdate } from '@berth/contract';
import { Link } from 'react-router';
import { Badge, formatBytes } from '../../components/ui.js';
import { ImageHistory } from './ImageHistory.js';
import { imageName } from './image-list.js';
import { SaveImageLink } from './SaveLoadImage.js';
import { TagImage } from './TagImage.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';

const UPDATE_TONES = {
  'update-available': 'info',
  'up-to-date': 'good',
  unknown: 'neutral',
} as const;
const UPDATE_LABELS = {
  'update-available': 'update available',
  'up-to-date': 'up to date',
  unknown: 'unknown',
} as const;

/**
 * One image in full: its tags and digests, the containers using it (linked), the last update
 * check of each tag, its layers, and (for writers) save as a tar and add a tag.
 */
export function ImageDetails({
  image,
  canWrite,
  tagging,
  updates,
}: {
  image: ImageSummary;
  canWrite: boolean;
  /** Opened to add a tag: the form has the focus. */
  tagging: boolean;
  updates: ImageUpdate[];
}) {
  const host = useCurrentHost();
  const name = imageName(image);
  return (
    <div className="image-details" data-testid="image-details">
      <p className="image-badges">
        {image.dangling && <Badge tone="warn">dangling</Badge>}
        {image.unused && <Badge>unused</Badge>}
        {canWrite && <SaveImageLink image={image} label={name} />}
      </p>
      <dl className="details">
        <dt>ID</dt>
        <dd>
          <code>{image.id}</code>
        </dd>
        <dt>Size</dt>
        <dd>{formatBytes(image.size)}</dd>
        <dt>Created</dt>
        <dd>{new Date(image.created).toLocaleString()}</dd>
        <dt>Tags</dt>
        <dd>{image.tags.length === 0 ? 'none' : image.tags.join(', ')}</dd>
        {image.previousTags.length > 0 && (
          <>
            <dt>Was</dt>
            <dd className="muted">{image.previousTags.join(', ')}</dd>
          </>
        )}
        {image.digests.length > 0 && (
          <>
            <dt>Digests</dt>
            <dd>
              {image.digests.map((d) => (
                <code key={d} className="image-digest">
                  {d}
                </code>
              ))}
            </dd>
          </>
        )}
        <dt>Used by</dt>
        <dd>
          {image.usedBy.length === 0
            ? 'no container'
            : image.usedBy.map((u, index) => (
                <span key={u.id}>
                  {index > 0 && ', '}
                  <Link to={hostPath(host, `containers/${u.id}`)}>{u.name}</Link>{' '}
                  <span className="muted">({u.state})</span>
                </span>
              ))}
        </dd>
        {updates.length > 0 && (
          <>
            <dt>Updates</dt>
            <dd>
              <ul className="plain" aria-label="Update checks">
                {updates.map((u) => (
                  <li key={u.image}>
                    <Badge tone={UPDATE_TONES[u.status]}>{UPDATE_LABELS[u.status]}</Badge>{' '}
                    <code>{u.image}</code>{' '}
                    <span className="muted">
                      checked {new Date(u.checkedAt).toLocaleString()}
                      {u.reason && ` · ${u.reason}`}
                    </span>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      {canWrite && <TagImage image={image} autoFocus={tagging} />}
      <ImageHistory imageId={image.id} label={name} />
    </div>
  );
}
