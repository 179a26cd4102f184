import { TagRequest, type ImageSummary } from '@berth/contract';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError, client } from '../../api/client.js';
import { HOST } from '../../app/Layout.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Badge, Button, Card, ErrorNotice, Field, formatBytes } from '../../components/ui.js';
import { ImageHistory } from './ImageHistory.js';
import { SaveImageLink } from './SaveLoadImage.js';

/** Adds a repository:tag to an image; shows the equivalent `docker tag`. */
function TagForm({ image }: { image: ImageSummary }) {
  const [repository, setRepository] = useState('');
  const [tag, setTag] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [cli, setCli] = useState<string | null>(null);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFailure(null);
    const parsed = TagRequest.safeParse({ repository, ...(tag ? { tag } : {}) });
    if (!parsed.success) {
      setErrors(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      return;
    }
    setErrors({});
    try {
      const done = await client.images.tag({
        params: { host: HOST, id: image.id },
        body: parsed.data,
      });
      setCli(done.cli);
      setRepository('');
      setTag('');
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fieldErrors());
      setFailure(err);
    }
  };
  return (
    <details>
      <summary>Add a tag</summary>
      <form className="tag-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Repository"
          value={repository}
          onChange={(e) => setRepository(e.target.value)}
          error={errors.repository}
          placeholder="registry.local:5000/team/app"
          required
        />
        <Field
          label="Tag"
          value={tag}
          onChange={(e) => setTag(e.target.value)}
          error={errors.tag}
          placeholder="latest"
        />
        <Button type="submit">Add tag</Button>
      </form>
      <ErrorNotice error={failure} />
      <CommandBlock command={cli} />
    </details>
  );
}

/**
 * One image: its tags, badges, the containers using it, its history and (for writers) save as
 * a tar, tag and remove.
 */
export function ImageCard({
  image,
  updateAvailable,
  canWrite,
  onRemove,
}: {
  image: ImageSummary;
  updateAvailable: boolean;
  canWrite: boolean;
  onRemove: (image: ImageSummary) => void;
}) {
  const title = image.tags[0] ?? image.shortId;
  return (
    <Card
      title={title}
      actions={
        canWrite && (
          <span className="toolbar">
            <SaveImageLink image={image} label={title} />
            <Button
              className="btn-small"
              variant="danger"
              aria-label={`Remove ${title}`}
              onClick={() => onRemove(image)}
            >
              Remove
            </Button>
          </span>
        )
      }
    >
      <p>
        {image.dangling && <Badge tone="warn">dangling</Badge>}{' '}
        {image.unused && <Badge>unused</Badge>}{' '}
        {updateAvailable && <Badge tone="info">update available</Badge>}
      </p>
      <p className="muted">
        {formatBytes(image.size)} · {new Date(image.created).toLocaleDateString()} · {image.shortId}
      </p>
      {image.tags.length > 1 && <p>Also: {image.tags.slice(1).join(', ')}</p>}
      {image.previousTags.length > 0 && (
        <p className="muted">was {image.previousTags.join(', ')}</p>
      )}
      {image.usedBy.length > 0 && (
        <p>
          Used by{' '}
          {image.usedBy.map((u, index) => (
            <span key={u.id}>
              {index > 0 && ', '}
              <Link to={`/containers/${u.id}`}>{u.name}</Link>{' '}
              <span className="muted">({u.state})</span>
            </span>
          ))}
        </p>
      )}
      <ImageHistory imageId={image.id} label={title} />
      {canWrite && <TagForm image={image} />}
    </Card>
  );
}
