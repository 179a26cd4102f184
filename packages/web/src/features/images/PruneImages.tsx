import { PruneImagesRequest, type PruneResult } from '@berth/contract';
import { useState, type FormEvent } from 'react';
import { client } from '../../api/client.js';
import { HOST } from '../../app/Layout.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Badge, Button, Card, ErrorNotice, Field, formatBytes } from '../../components/ui.js';

type Mode = 'dangling' | 'unused';

/** Prune dangling images, or unused ones older than N days: always a dry run first, then confirm. */
export function PruneImages() {
  const [mode, setMode] = useState<Mode>('dangling');
  const [days, setDays] = useState('');
  const [daysError, setDaysError] = useState<string | undefined>(undefined);
  const [preview, setPreview] = useState<PruneResult | null>(null);
  const [done, setDone] = useState<PruneResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  const request = (dryRun: boolean) =>
    PruneImagesRequest.safeParse({
      mode,
      dryRun,
      ...(mode === 'unused' && days.trim() !== '' ? { olderThanDays: Number(days) } : {}),
    });

  const showPreview = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(null);
    setDone(null);
    const parsed = request(true);
    if (!parsed.success) {
      setDaysError(parsed.error.issues[0]?.message);
      return;
    }
    setDaysError(undefined);
    try {
      setPreview(await client.images.prune({ params: { host: HOST }, body: parsed.data }));
    } catch (err) {
      setError(err);
    }
  };
  const prune = async (): Promise<void> => {
    const parsed = request(false);
    setPreview(null);
    if (!parsed.success) return;
    try {
      setDone(await client.images.prune({ params: { host: HOST }, body: parsed.data }));
    } catch (err) {
      setError(err);
    }
  };
  const count = preview?.removed.length ?? 0;
  const what = `${mode} image${count === 1 ? '' : 's'}`;

  return (
    <Card title="Prune">
      <form className="toolbar" onSubmit={(e) => void showPreview(e)} noValidate>
        <div className="field">
          <label htmlFor="prune-mode">Prune mode</label>
          <select
            id="prune-mode"
            value={mode}
            onChange={(e) => setMode(e.target.value === 'unused' ? 'unused' : 'dangling')}
          >
            <option value="dangling">Dangling (no tag)</option>
            <option value="unused">Unused by any container</option>
          </select>
        </div>
        {mode === 'unused' && (
          <Field
            label="Older than (days)"
            type="number"
            min={0}
            max={3650}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            error={daysError}
            hint="Empty: any age"
          />
        )}
        <Button type="submit">Preview prune…</Button>
      </form>
      <ErrorNotice error={error} />
      {preview && count === 0 && (
        <p role="status" data-testid="prune-result">
          Nothing to prune: no {mode} images match.{' '}
          <Button className="btn-small" onClick={() => setPreview(null)}>
            OK
          </Button>
        </p>
      )}
      {done && (
        <div role="status" data-testid="prune-result">
          <p>
            <Badge tone={done.failed.length === 0 ? 'good' : 'warn'}>pruned</Badge> Removed{' '}
            {done.removed.length}, freed {formatBytes(done.reclaimedBytes)}.
          </p>
          {done.failed.length > 0 && (
            <ul className="plain">
              {done.failed.map((f) => (
                <li key={f.id} className="field-error">
                  {f.id.replace(/^sha256:/, '').slice(0, 12)}: {f.error}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <CommandBlock command={done?.cli} />
      <ConfirmDialog
        open={preview !== null && count > 0}
        title={`Prune ${count} ${what}?`}
        confirmLabel={`Remove ${count} image${count === 1 ? '' : 's'}`}
        onConfirm={() => void prune()}
        onCancel={() => setPreview(null)}
      >
        <p>
          These are deleted from this host, freeing {formatBytes(preview?.reclaimedBytes ?? 0)}:
        </p>
        <ul className="prune-list" data-testid="prune-preview">
          {preview?.removed.map((r) => (
            <li key={r.id}>
              {r.name}{' '}
              {!r.id.includes(r.name) && (
                <span className="muted">{r.id.replace(/^sha256:/, '').slice(0, 12)}</span>
              )}
            </li>
          ))}
        </ul>
        <CommandBlock command={preview?.cli} label="Equivalent command (after confirming)" />
      </ConfirmDialog>
    </Card>
  );
}
