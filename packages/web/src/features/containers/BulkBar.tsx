import type { BulkAction, BulkResult, ContainerSummary } from '@berth/contract';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Button } from '../../components/ui.js';
import type { ContainerAction } from './container-actions.js';

const COMMON_ENVIRONMENTS = ['dev', 'test', 'staging', 'prod'];

/**
 * What can be done to the selected containers at once. Lifecycle actions go one call per
 * container (`onAction`), so each one's result shows as it lands; removing asks first, naming
 * every container that goes. The environment tag is one quick bulk call.
 */
export function BulkBar({
  selected,
  environments,
  busy,
  onAction,
  onDone,
  onError,
}: {
  selected: ContainerSummary[];
  environments: string[];
  /** An action is still running on some of them: no other is started meanwhile. */
  busy: boolean;
  onAction: (action: ContainerAction) => void;
  onDone: (result: BulkResult) => void;
  onError: (error: unknown) => void;
}) {
  const host = useCurrentHost();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [tag, setTag] = useState('');
  const run = async (body: Omit<BulkAction, 'ids'>): Promise<void> => {
    try {
      onDone(
        await client.containers.bulk({
          params: { host },
          body: { ...body, ids: selected.map((c) => c.id) },
        }),
      );
    } catch (err) {
      onError(err);
    }
  };
  const choices = [...new Set([...COMMON_ENVIRONMENTS, ...environments])];
  return (
    <div className="bulkbar" role="toolbar" aria-label="Bulk actions">
      <span>{selected.length} selected</span>
      <Button disabled={busy} onClick={() => onAction('start')}>
        Start
      </Button>
      <Button disabled={busy} onClick={() => onAction('stop')}>
        Stop
      </Button>
      <Button disabled={busy} onClick={() => onAction('restart')}>
        Restart
      </Button>
      <Button variant="danger" disabled={busy} onClick={() => setConfirmRemove(true)}>
        Remove
      </Button>
      <select
        aria-label="Environment tag for the selected"
        value={tag}
        onChange={(e) => setTag(e.target.value)}
      >
        <option value="">Environment…</option>
        {choices.map((e) => (
          <option key={e} value={e}>
            {e}
          </option>
        ))}
        <option value="-">no tag (clear)</option>
      </select>
      <Button
        disabled={tag === ''}
        onClick={() =>
          void run({ action: 'set-environment', environment: tag === '-' ? null : tag })
        }
      >
        Set environment
      </Button>
      <ConfirmDialog
        open={confirmRemove}
        title={`Remove ${selected.length} container${selected.length === 1 ? '' : 's'}?`}
        confirmLabel="Remove"
        onConfirm={() => {
          setConfirmRemove(false);
          onAction('remove');
        }}
        onCancel={() => setConfirmRemove(false)}
      >
        <p>
          Running ones are stopped first. Each container and its writable layer go; named volumes
          stay.
        </p>
        <ul>
          {selected.map((c) => (
            <li key={c.id}>
              {c.name} ({c.state})
            </li>
          ))}
        </ul>
      </ConfirmDialog>
    </div>
  );
}
