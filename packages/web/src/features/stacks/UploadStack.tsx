import { StackName, type StackValidation } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent } from 'react';
import { useNavigate } from 'react-router';
import { ApiError, client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { hostPath, useCurrentHost } from '../../app/host-paths.js';
import { Dialog } from '../../components/Dialog.js';
import { countOf, Field, formatBytes } from '../../components/ui.js';
import { StacksError } from './StacksUnavailable.js';
import { readArchive, readComposeFile, readFolder, type StackUpload } from './stack-upload.js';

const folderProps = { webkitdirectory: '', directory: '' } as Record<string, string>;

/** A name for the preview's validation when the user has not given one yet. */
const PREVIEW_NAME = 'upload-preview';

/**
 * "Upload…": a stack from one compose file, a folder or a `.tar`/`.tar.gz`. Before anything is
 * created it lists the files and the server's problems with them (file, line, path); "Create"
 * sends them through the import routes, which check every entry again.
 */
export function UploadStack({ name: pageName }: { name: string }) {
  const host = useCurrentHost();
  const [open, setOpen] = useState(false);
  const [upload, setUpload] = useState<StackUpload | null>(null);
  const [validation, setValidation] = useState<StackValidation | null>(null);
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const checked = StackName.safeParse(name);

  const reset = (next: boolean): void => {
    setOpen(next);
    setUpload(null);
    setValidation(null);
    setError(null);
    setName(pageName);
    setNameError(undefined);
  };

  const pick =
    (read: (files: File[]) => Promise<StackUpload>) =>
    async (e: ChangeEvent<HTMLInputElement>): Promise<void> => {
      const picked = [...(e.target.files ?? [])];
      e.target.value = '';
      if (picked.length === 0) return;
      setBusy(true);
      setError(null);
      setValidation(null);
      try {
        const read_ = await read(picked);
        setUpload(read_);
        const named = name || read_.suggestedName || '';
        if (named !== name) setName(named);
        const preview = StackName.safeParse(named).success ? named : PREVIEW_NAME;
        setValidation(
          await client.stacks.validate({
            params: { host },
            body: { name: preview, files: read_.files },
          }),
        );
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
    };

  const create = async (): Promise<void> => {
    if (!upload) return;
    if (!checked.success) {
      setNameError(checked.error.issues[0]?.message ?? 'a stack needs a name');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const params = { host, name };
      if (upload.kind === 'compose') await client.stacks.importFile({ params, body: upload.body });
      else await client.stacks.import({ params, body: upload.body });
      await queryClient.invalidateQueries({ queryKey: keys.stacks(host) });
      setOpen(false);
      void navigate(hostPath(host, `stacks/${name}`), { state: { created: true } });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setNameError(err.message);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const paths = upload ? Object.keys(upload.files).sort() : [];
  return (
    <Dialog
      title="Upload a stack"
      description="One compose file, a folder, or a .tar / .tar.gz of the stack's folder."
      open={open}
      onOpenChange={reset}
      wide
      trigger={
        <button type="button" className="btn btn-default">
          Upload…
        </button>
      }
    >
      <div className="upload-choices">
        <label className="upload-choice">
          <span>Compose file</span>
          <input
            type="file"
            accept=".yaml,.yml,application/yaml"
            disabled={busy}
            onChange={(e) => void pick(([f]) => readComposeFile(f as File))(e)}
          />
        </label>
        <label className="upload-choice">
          <span>Folder</span>
          <input
            type="file"
            multiple
            {...folderProps}
            disabled={busy}
            onChange={(e) => void pick(readFolder)(e)}
          />
        </label>
        <label className="upload-choice">
          <span>Archive (.tar, .tar.gz)</span>
          <input
            type="file"
            accept=".tar,.tgz,.gz,application/x-tar,application/gzip"
            disabled={busy}
            onChange={(e) => void pick(([f]) => readArchive(f as File))(e)}
          />
        </label>
      </div>
      <StacksError error={error} />
      {upload && (
        <>
          <Field
            label="Stack name"
            placeholder="my-app"
            value={name}
            error={
              nameError ?? (name && !checked.success ? checked.error.issues[0]?.message : undefined)
            }
            onChange={(e) => {
              setName(e.target.value);
              setNameError(undefined);
            }}
          />
          <section aria-label="Files to create" data-testid="upload-files">
            <h3>
              Will create {countOf(paths.length, 'file')}{' '}
              <span className="muted">from {upload.source}</span>
            </h3>
            <ul className="plain upload-files">
              {paths.map((p) => (
                <li key={p} data-testid="upload-file">
                  <code>{p}</code>{' '}
                  <span className="muted">
                    {formatBytes(new Blob([upload.files[p] ?? '']).size)}
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <UploadProblems validation={validation} />
        </>
      )}
      <div className="dialog-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy || !upload}
          onClick={() => void create()}
        >
          Create stack
        </button>
      </div>
    </Dialog>
  );
}

function UploadProblems({ validation }: { validation: StackValidation | null }) {
  if (!validation) return <p className="loading">Checking the files…</p>;
  if (validation.ok)
    return (
      <p data-testid="upload-problems" role="status">
        No problems: {countOf(validation.services.length, 'service')} (
        {validation.services.join(', ')}).
      </p>
    );
  return (
    <section aria-label="Problems" className="problems" data-testid="upload-problems">
      <h3>Problems {validation.issues.length}</h3>
      <ul className="plain">
        {validation.issues.map((issue, i) => (
          <li key={`${issue.file}:${issue.line ?? 0}:${issue.path}:${i}`} data-testid="problem">
            <code>
              {issue.file}
              {issue.line !== null ? `:${issue.line}` : ''}
            </code>{' '}
            {issue.path && <code>{issue.path}</code>} {issue.message}
          </li>
        ))}
      </ul>
      <p className="muted">The stack can be created anyway and fixed in its editor.</p>
    </section>
  );
}
