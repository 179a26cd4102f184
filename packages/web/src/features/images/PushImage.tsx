import { PushRequest } from '@berth/contract';
import { useId, useState, type FormEvent } from 'react';
import { useImages } from '../../api/queries.js';
import { HOST } from '../../app/Layout.js';
import { Button, Card, Field } from '../../components/ui.js';
import { useImageTransfer } from './image-transfer.js';
import { TransferProgress } from './TransferProgress.js';

/**
 * Pushes a local tag to the registry its name points at (with the stored credentials for that
 * registry), with per-layer progress, the pushed digest, and cancel.
 */
export function PushImage() {
  const images = useImages(HOST);
  const listId = useId();
  const [reference, setReference] = useState('');
  const [invalid, setInvalid] = useState<string | undefined>(undefined);
  const push = useImageTransfer('push');
  const tags = (images.data ?? []).flatMap((image) => image.tags);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const parsed = PushRequest.safeParse({ image: reference.trim() });
    setInvalid(parsed.success ? undefined : parsed.error.issues[0]?.message);
    if (parsed.success) void push.start(parsed.data.image);
  };

  return (
    <Card title="Push">
      <form className="toolbar" onSubmit={submit} noValidate>
        <Field
          label="Tag to push"
          value={reference}
          list={listId}
          onChange={(e) => setReference(e.target.value)}
          error={invalid}
          placeholder="registry.local:5000/team/app:1"
        />
        <datalist id={listId}>
          {tags.map((tag) => (
            <option key={tag} value={tag} />
          ))}
        </datalist>
        <Button type="submit" variant="primary" disabled={push.transfer?.status === 'running'}>
          Push
        </Button>
      </form>
      <TransferProgress kind="push" state={push} />
    </Card>
  );
}
