import type { TransferResult } from '@berth/contract';
import { useEffect, useState, type FormEvent } from 'react';
import { post } from '../../api/client.js';
import { onProgress } from '../../api/live.js';
import { HOST } from '../../app/Layout.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Badge, Button, Card, ErrorNotice, Field } from '../../components/ui.js';

/** Pulls an image with its per-layer progress live from the host events. */
export function PullImage() {
  const [reference, setReference] = useState('');
  const [progress, setProgress] = useState<string[]>([]);
  const [transfer, setTransfer] = useState<TransferResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(
    () =>
      onProgress((p) => {
        if (p.operation === 'pull' && p.subject === reference)
          setProgress((old) => [...old.slice(-30), `${p.layer ? `${p.layer}: ` : ''}${p.status}`]);
      }),
    [reference],
  );

  const pull = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    setProgress([]);
    setTransfer(
      await post<TransferResult>(`/api/hosts/${HOST}/images/pull`, { image: reference }).catch(
        (err: unknown) => {
          setError(err);
          return null;
        },
      ),
    );
  };

  return (
    <Card title="Pull">
      <form className="toolbar" onSubmit={(e) => void pull(e)}>
        <Field
          label="Image"
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          placeholder="registry.local:5000/app:1"
        />
        <Button type="submit" variant="primary">
          Pull
        </Button>
      </form>
      <ErrorNotice error={error} />
      {progress.length > 0 && (
        <pre className="progress" data-testid="pull-progress">
          <code>{progress.join('\n')}</code>
        </pre>
      )}
      {transfer && (
        <p role="status" data-testid="pull-result">
          <Badge tone={transfer.status === 'done' ? 'good' : 'bad'}>{transfer.status}</Badge>{' '}
          {transfer.error ?? transfer.digest}
        </p>
      )}
      <CommandBlock command={transfer?.cli} />
    </Card>
  );
}
