import type { ContainerCreated } from '@berth/contract';
import { useState, type FormEvent } from 'react';
import { ApiError, client } from '../../api/client.js';
import { onProgress } from '../../api/live.js';
import { useMe } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { Button, ErrorNotice, Page } from '../../components/ui.js';
import { EMPTY_DRAFT } from './form/container-draft.js';
import { ContainerForm } from './form/ContainerForm.js';
import { CreatedResult } from './form/CreatedResult.js';
import { refusalFields } from './form/refusal-fields.js';
import { useContainerForm } from './form/useContainerForm.js';

/** Create a container: inline validation, the docker run as you type, pull progress, the start check. */
export default function CreateContainerPage() {
  const host = useCurrentHost();
  const form = useContainerForm('berth.draft.create', EMPTY_DRAFT);
  const me = useMe();
  const [failure, setFailure] = useState<unknown>(null);
  const [progress, setProgress] = useState<string[]>([]);
  const [result, setResult] = useState<ContainerCreated | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setFailure(null);
    const body = form.submit();
    if (!body) return;
    setBusy(true);
    setProgress([]);
    const stop = onProgress((p) => {
      if (p.operation === 'pull' && p.subject === body.image)
        setProgress((old) => [...old.slice(-20), `${p.layer ? `${p.layer}: ` : ''}${p.status}`]);
    });
    try {
      const created = await client.containers.create({ params: { host }, body });
      form.forget();
      setResult(created);
    } catch (err) {
      if (err instanceof ApiError) form.setServerErrors(refusalFields(err, form.draft.ports));
      setFailure(err);
    } finally {
      stop();
      setBusy(false);
    }
  };

  if (result) return <CreatedResult result={result} verb="Created" />;
  return (
    <Page title="Create container">
      {form.restored && (
        <p className="notice" role="status">
          Your unsaved input is back.{' '}
          <Button className="btn-small" onClick={() => form.reset(EMPTY_DRAFT)}>
            Start over
          </Button>
        </p>
      )}
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <ContainerForm form={form} canPrivileged={me.data?.effectiveRole === 'admin'} />
        <label className="toggle">
          <input
            type="checkbox"
            checked={form.draft.autoStart}
            onChange={(e) => form.update({ autoStart: e.target.checked })}
          />{' '}
          Start it and check that it stays up
        </label>
        <CommandBlock command={form.cli} label="docker run, as you type" />
        {progress.length > 0 && (
          <pre className="progress" aria-label="Pull progress">
            <code>{progress.join('\n')}</code>
          </pre>
        )}
        <ErrorNotice error={failure} />
        <div className="toolbar">
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create'}
          </Button>
          <Button onClick={() => form.reset(EMPTY_DRAFT)}>Clear</Button>
        </div>
      </form>
    </Page>
  );
}
