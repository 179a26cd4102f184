import { PruneImagesRequest, type PruneResult } from '@berth/contract';
import { useState, type FormEvent, type ReactNode } from 'react';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Dialog } from '../../components/Dialog.js';
import { Badge, Button, ErrorNotice, Field, formatBytes } from '../../components/ui.js';

type Mode = 'dangling' | 'unused';
const plural = (count: number, noun: string): string => `${noun}${count === 1 ? '' : 's'}`;

/**
 * The prune dialog: dangling images, or unused ones older than N days. Always a dry run first;
 * the dialog then names what goes and asks before removing it.
 */
export function PruneImages({ trigger }: { trigger: ReactNode }) {
  const host = useCurrentHost();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<Mode>('dangling');
  const [days, setDays] = useState('');
  const [daysError, setDaysError] = useState<string | undefined>(undefined);
  const [preview, setPreview] = useState<PruneResult | null>(null);
  const [done, setDone] = useState<PruneResult | null>(null);
  const [pruning, setPruning] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const reset = (): void => {
    setPreview(null);
    setDone(null);
    setError(null);
    setDaysError(undefined);
  };
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
      setPreview(await client.images.prune({ params: { host }, body: parsed.data }));
    } catch (err) {
      setError(err);
    }
  };
  const prune = async (): Promise<void> => {
    const parsed = request(false);
    if (!parsed.success) return;
    setPruning(true);
    try {
      setDone(await client.images.prune({ params: { host }, body: parsed.data }));
      setPreview(null);
    } catch (err) {
      setError(err);
    } finally {
      setPruning(false);
    }
  };
  const count = preview?.removed.length ?? 0;
  const confirming = preview !== null && count > 0;

  return (
    <Dialog
      title={confirming ? `Prune ${count} ${mode} ${plural(count, 'image')}?` : 'Prune images'}
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) reset();
      }}
      trigger={trigger}
    >
      {!confirming && (
        <form className="form-inline" onSubmit={(e) => void showPreview(e)} noValidate>
          <div className="field">
            <label htmlFor="prune-mode">Prune mode</label>
            <select
              id="prune-mode"
              value={mode}
              onChange={(e) => {
                setMode(e.target.value === 'unused' ? 'unused' : 'dangling');
                reset();
              }}
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
      )}
      <ErrorNotice error={error} />
      {preview && count === 0 && (
        <p role="status" data-testid="prune-result">
          Nothing to prune: no {mode} images match.
        </p>
      )}
      {confirming && (
        <>
          <p>These are deleted from this host, freeing {formatBytes(preview.reclaimedBytes)}:</p>
          <ul className="prune-list" data-testid="prune-preview">
            {preview.removed.map((r) => (
              <li key={r.id}>
                {r.name}{' '}
                {!r.id.includes(r.name) && (
                  <span className="muted">{r.id.replace(/^sha256:/, '').slice(0, 12)}</span>
                )}
              </li>
            ))}
          </ul>
          <CommandBlock command={preview.cli} label="Equivalent command (after confirming)" />
          <div className="dialog-actions">
            <Button onClick={() => setPreview(null)}>Cancel</Button>
            <Button variant="danger" disabled={pruning} onClick={() => void prune()}>
              Remove {count} {plural(count, 'image')}
            </Button>
          </div>
        </>
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
    </Dialog>
  );
}
