import type { PruneResult, TransferResult } from '@berth/contract';
import { useEffect, useState, type FormEvent } from 'react';
import { del, post } from '../../api/client.js';
import { onProgress } from '../../api/live.js';
import { useImages, useMe, useUpdates } from '../../api/queries.js';
import { HOST } from '../../app/Layout.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Badge, Button, Card, ErrorNotice, Field, formatBytes, Page } from '../../components/ui.js';

/** Images: what is there and who uses it, pull with live progress, remove, prune with a preview. */
export default function ImagesPage() {
  const images = useImages(HOST);
  const updates = useUpdates(HOST);
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const [reference, setReference] = useState('');
  const [progress, setProgress] = useState<string[]>([]);
  const [transfer, setTransfer] = useState<TransferResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [prune, setPrune] = useState<PruneResult | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [cli, setCli] = useState<string | null>(null);

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
  const previewPrune = async (): Promise<void> =>
    setPrune(
      await post<PruneResult>(`/api/hosts/${HOST}/images/prune`, {
        mode: 'dangling',
        dryRun: true,
      }),
    );
  const doPrune = async (): Promise<void> => {
    const result = await post<PruneResult>(`/api/hosts/${HOST}/images/prune`, {
      mode: 'dangling',
      dryRun: false,
    });
    setPrune(null);
    setCli(result.cli);
  };
  const remove = async (): Promise<void> => {
    if (!removing) return;
    try {
      setCli(
        (
          await del<{ cli: string }>(
            `/api/hosts/${HOST}/images/${encodeURIComponent(removing)}?force=true`,
          )
        ).cli,
      );
    } catch (err) {
      setError(err);
    }
    setRemoving(null);
  };
  const updateFor = (tag: string) => updates.data?.find((u) => u.image === tag);

  return (
    <Page
      title="Images"
      actions={canWrite && <Button onClick={() => void previewPrune()}>Prune dangling…</Button>}
    >
      {canWrite && (
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
      )}
      <ErrorNotice error={error ?? images.error} />
      <CommandBlock command={cli} />
      <div className="grid">
        {(images.data ?? []).map((image) => (
          <Card
            key={image.id}
            title={image.tags[0] ?? image.shortId}
            actions={
              canWrite && (
                <Button
                  className="btn-small"
                  variant="danger"
                  onClick={() => setRemoving(image.tags[0] ?? image.id)}
                >
                  Remove
                </Button>
              )
            }
          >
            <p>
              {image.dangling && <Badge tone="warn">dangling</Badge>}{' '}
              {image.unused && <Badge>unused</Badge>}{' '}
              {image.tags.some((t) => updateFor(t)?.status === 'update-available') && (
                <Badge tone="info">update available</Badge>
              )}
            </p>
            <p className="muted">
              {formatBytes(image.size)} · {new Date(image.created).toLocaleDateString()} ·{' '}
              {image.shortId}
            </p>
            {image.tags.length > 1 && <p>Also: {image.tags.slice(1).join(', ')}</p>}
            {image.previousTags.length > 0 && (
              <p className="muted">was {image.previousTags.join(', ')}</p>
            )}
            {image.usedBy.length > 0 && <p>Used by {image.usedBy.map((u) => u.name).join(', ')}</p>}
          </Card>
        ))}
      </div>
      <ConfirmDialog
        open={prune !== null}
        title="Prune dangling images?"
        confirmLabel={`Remove ${prune?.removed.length ?? 0}`}
        onConfirm={() => void doPrune()}
        onCancel={() => setPrune(null)}
      >
        <p>These go, freeing {formatBytes(prune?.reclaimedBytes ?? 0)}:</p>
        <ul>
          {prune?.removed.map((r) => (
            <li key={r.id}>{r.name}</li>
          ))}
        </ul>
      </ConfirmDialog>
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing ?? ''}?`}
        confirmLabel="Remove"
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(null)}
      >
        <p>
          The image goes from this host (its tag only, when it has several); containers using it
          keep running.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
