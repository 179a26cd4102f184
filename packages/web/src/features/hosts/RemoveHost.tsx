import type { Host } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { keys } from '../../api/queries.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { ErrorNotice } from '../../components/ui.js';

/**
 * Asks before a host is removed, naming it: its live streams end and its state is forgotten;
 * what Berth stored for it goes too only when the admin says so.
 */
export function RemoveHost({
  host,
  onCancel,
  onDone,
}: {
  host: Host;
  onCancel: () => void;
  onDone: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const [forget, setForget] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const remove = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await client.hosts.remove({
        params: { host: host.id },
        query: { forget: forget ? 'true' : 'false' },
      });
      queryClient.removeQueries({ queryKey: ['hosts', host.id] });
      await queryClient.invalidateQueries({ queryKey: keys.hosts, exact: true });
      onDone(`Removed host ${host.id}${forget ? ' and what Berth stored for it' : ''}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      open
      title={`Remove host ${host.id}?`}
      confirmLabel={`Remove ${host.id}`}
      confirmDisabled={busy}
      onConfirm={() => void remove()}
      onCancel={onCancel}
    >
      <p>
        Berth stops managing <strong>{host.id}</strong> ({host.url}): its live views close and its
        containers keep running on the engine.
      </p>
      <label className="toggle">
        <input type="checkbox" checked={forget} onChange={(e) => setForget(e.target.checked)} />{' '}
        Also forget what Berth stored for it (environment tags, previous image tags, IP
        reservations, backup schedules, stack variables)
      </label>
      <ErrorNotice error={error} />
    </ConfirmDialog>
  );
}
