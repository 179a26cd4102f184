import type { PruneResult } from '@berth/contract';
import { useEffect, useState, type ReactNode } from 'react';
import { Dialog, DialogClose } from './Dialog.js';
import { Button, ErrorNotice } from './ui.js';

/**
 * A "Prune" button whose dialog first runs the prune as a dry run and lists what would go; only
 * then does the user confirm the real prune. The dialog closes once it is done.
 */
export function PruneDialog({
  title,
  confirmLabel,
  empty,
  describe,
  testId,
  run,
  onDone,
}: {
  /** "Prune unused networks?" */
  title: string;
  confirmLabel: string;
  /** What to say when nothing would go. */
  empty: string;
  /** The sentence above the list of what would go. */
  describe: (preview: PruneResult) => ReactNode;
  testId: string;
  run: (dryRun: boolean) => Promise<PruneResult>;
  onDone: (result: PruneResult) => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog title={title} open={open} onOpenChange={setOpen} trigger={<Button>Prune…</Button>}>
      <PrunePreview
        confirmLabel={confirmLabel}
        empty={empty}
        describe={describe}
        testId={testId}
        run={run}
        onDone={(result) => {
          setOpen(false);
          onDone(result);
        }}
      />
    </Dialog>
  );
}

function PrunePreview({
  confirmLabel,
  empty,
  describe,
  testId,
  run,
  onDone,
}: Omit<Parameters<typeof PruneDialog>[0], 'title'>) {
  const [preview, setPreview] = useState<PruneResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    run(true).then(
      (result) => {
        if (live) setPreview(result);
      },
      (err: unknown) => {
        if (live) setError(err);
      },
    );
    return () => {
      live = false;
    };
    // The preview is taken once per opening of the dialog (the body mounts on opening).
  }, []);
  const prune = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      onDone(await run(false));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <>
      <ErrorNotice error={error} />
      {preview === null && error === null && <p className="muted">Looking for what would go…</p>}
      {preview && preview.removed.length === 0 && <p>{empty}</p>}
      {preview && preview.removed.length > 0 && (
        <>
          <p>{describe(preview)}</p>
          <ul className="plain prune-list" data-testid={testId}>
            {preview.removed.map((r) => (
              <li key={r.id}>
                <code>{r.name}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="dialog-actions">
        <DialogClose asChild>
          <Button>Cancel</Button>
        </DialogClose>
        <Button
          variant="danger"
          disabled={busy || !preview || preview.removed.length === 0}
          onClick={() => void prune()}
        >
          {confirmLabel}
        </Button>
      </div>
    </>
  );
}
