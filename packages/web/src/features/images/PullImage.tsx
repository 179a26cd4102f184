import { PullRequest } from '@berth/contract';
import { useState, type FormEvent } from 'react';
import { Button, Card, Field } from '../../components/ui.js';
import { useImageTransfer } from './image-transfer.js';
import { TransferProgress } from './TransferProgress.js';

/** Pulls an image with its per-layer progress live from the host events; a pull can be cancelled. */
export function PullImage() {
  const [reference, setReference] = useState('');
  const [invalid, setInvalid] = useState<string | undefined>(undefined);
  const pull = useImageTransfer('pull');

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const parsed = PullRequest.safeParse({ image: reference.trim() });
    setInvalid(parsed.success ? undefined : parsed.error.issues[0]?.message);
    if (parsed.success) void pull.start(parsed.data.image);
  };

  return (
    <Card title="Pull">
      <form className="toolbar" onSubmit={submit} noValidate>
        <Field
          label="Image"
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          error={invalid}
          placeholder="registry.local:5000/app:1"
        />
        <Button type="submit" variant="primary" disabled={pull.transfer?.status === 'running'}>
          Pull
        </Button>
      </form>
      <TransferProgress kind="pull" state={pull} />
    </Card>
  );
}
