import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client as api } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Badge, Button, ErrorNotice } from '../../components/ui.js';

/** Processes, and the image update history with update, retag and rollback. */
export function UpdatesPanel({
  containerId,
  running,
  canWrite,
}: {
  containerId: string;
  /** The page knows the state: a stopped container's processes are not asked for (a 409). */
  running: boolean;
  canWrite: boolean;
}) {
  const host = useCurrentHost();
  const client = useQueryClient();
  const history = useQuery({
    queryKey: ['updates', containerId],
    queryFn: async () => (await api.updates.history({ params: { host, id: containerId } })).history,
  });
  const top = useQuery({
    queryKey: ['top', containerId],
    queryFn: () => api.containers.top({ params: { host, id: containerId } }),
    enabled: running,
    retry: false,
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const params = { host, id: containerId };
  const run = async (call: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await call();
    } catch (err) {
      setError(err);
    }
    setBusy(false);
    // The update recreates the container: by now the page may show it under its new id (and
    // have read its history before the update ended), so every container's history is stale.
    await client.invalidateQueries({ queryKey: ['updates'] });
  };
  return (
    <section aria-label="Updates and processes">
      <h3>Processes</h3>
      {running && top.data ? (
        <table className="simple">
          <thead>
            <tr>
              {top.data.titles.map((t) => (
                <th key={t}>{t}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {top.data.processes.map((p, i) => (
              <tr key={i}>
                {p.map((cell, j) => (
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : running ? (
        <ErrorNotice error={top.error} />
      ) : (
        <p className="muted">Not running.</p>
      )}
      <h3>Image updates</h3>
      {canWrite && (
        <Button
          disabled={busy}
          onClick={() =>
            void run(() => api.updates.update({ params, body: { validateSeconds: 10 } }))
          }
        >
          {busy ? 'Working…' : 'Pull and update now'}
        </Button>
      )}
      <ErrorNotice error={error} />
      <ul className="plain">
        {(history.data ?? []).map((h) => (
          <li key={h.id}>
            {new Date(h.at).toLocaleString()} · {h.kind} · {h.oldImage} → {h.newImage}{' '}
            <Badge tone={h.outcome === 'updated' || h.outcome === 'up-to-date' ? 'good' : 'bad'}>
              {h.outcome}
            </Badge>{' '}
            {h.username}
            {canWrite && (
              <Button
                className="btn-small"
                onClick={() =>
                  void run(() =>
                    api.updates.rollback({
                      params,
                      body: { historyId: h.id, validateSeconds: 10 },
                    }),
                  )
                }
              >
                Roll back to before this
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
