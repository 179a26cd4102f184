import { useQuery } from '@tanstack/react-query';
import { Suspense, useState } from 'react';
import { lazyPage } from '../../app/lazy-page.js';
import { client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { age, longTime } from '../../components/time.js';
import { Button, ErrorNotice } from '../../components/ui.js';

const HistoryDiff = lazyPage(() => import('./HistoryDiff.js'));

/** The stack's earlier versions: when, by whom, why; a diff against the current files; restore. */
export function StackHistory({
  name,
  current,
  canWrite,
  onRestored,
}: {
  name: string;
  /** The current files (undefined while they load). */
  current: Record<string, string> | undefined;
  canWrite: boolean;
  onRestored: () => void;
}) {
  const host = useCurrentHost();
  const history = useQuery({
    queryKey: [...keys.stack(host, name), 'history'],
    queryFn: async () => (await client.stacks.history({ params: { host, name } })).versions,
  });
  const [selected, setSelected] = useState<number | null>(null);
  const [confirm, setConfirm] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [restored, setRestored] = useState<number | null>(null);
  const version = useQuery({
    queryKey: [...keys.stack(host, name), 'history', selected],
    enabled: selected !== null,
    queryFn: () => client.stacks.version({ params: { host, name, version: selected ?? 0 } }),
  });
  const restore = async (id: number): Promise<void> => {
    setConfirm(null);
    setError(null);
    try {
      await client.stacks.restore({ params: { host, name, version: id } });
      setRestored(id);
      setSelected(null);
      onRestored();
    } catch (err) {
      setError(err);
    }
  };
  const versions = history.data ?? [];
  return (
    <section aria-label="History" className="stack-history">
      <ErrorNotice error={history.error ?? error} />
      {restored !== null && (
        <p className="notice" role="status" data-testid="restored">
          Restored version {restored}. Deploy to apply it.
        </p>
      )}
      <div className="list-scroll">
        <table className="list stack-table" aria-label="Versions" data-testid="stack-versions">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">When</th>
              <th scope="col" className="c-wide">
                Files
              </th>
              <th scope="col">Note</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {versions.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  {history.isPending ? 'Loading…' : 'No earlier versions yet: each save keeps one.'}
                </td>
              </tr>
            )}
            {versions.map((v) => (
              <tr
                key={v.id}
                data-testid="stack-version"
                data-version={v.id}
                aria-current={selected === v.id ? 'true' : undefined}
              >
                <th scope="row">{v.id}</th>
                <td>
                  <time dateTime={v.at} title={longTime.format(new Date(v.at))}>
                    {age(v.at)}
                  </time>
                  {v.by && <span className="muted"> by {v.by}</span>}
                </td>
                <td className="c-wide">{v.files.join(', ')}</td>
                <td>{v.message ?? <span className="muted">—</span>}</td>
                <td className="c-actions">
                  <Button
                    className="btn-small"
                    aria-pressed={selected === v.id}
                    onClick={() => setSelected(selected === v.id ? null : v.id)}
                  >
                    Diff<span className="sr-only"> version {v.id}</span>
                  </Button>{' '}
                  {canWrite && (
                    <Button className="btn-small" onClick={() => setConfirm(v.id)}>
                      Restore<span className="sr-only"> version {v.id}</span>
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {selected !== null && (
        <section aria-label={`Version ${selected} against the current files`}>
          <h3>Version {selected} → current</h3>
          <ErrorNotice error={version.error} />
          {version.data && current ? (
            <Suspense fallback={<p className="loading">Loading…</p>}>
              <HistoryDiff before={version.data.files} after={current} />
            </Suspense>
          ) : (
            !version.error && <p className="loading">Loading…</p>
          )}
        </section>
      )}
      <ConfirmDialog
        open={confirm !== null}
        title={`Restore version ${confirm ?? ''}?`}
        confirmLabel="Restore"
        onConfirm={() => {
          if (confirm !== null) void restore(confirm);
        }}
        onCancel={() => setConfirm(null)}
      >
        <p>
          The stack’s files become those of version {confirm}. The current files are kept in the
          history, and nothing runs until you deploy.
        </p>
      </ConfirmDialog>
    </section>
  );
}
