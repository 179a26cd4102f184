import type { SwarmView } from '@berth/contract';
import { useState } from 'react';
import { client } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Button } from '../../components/ui.js';

/** What a swarm action did, said plainly, with its docker equivalent. */
export interface SwarmOutcome {
  message: string;
  cli: string | null;
}

/** Leave the swarm, after a confirm that says what leaving does to this host and the swarm. */
export function SwarmLeave({
  swarm,
  onDone,
  onError,
}: {
  swarm: SwarmView;
  onDone: (outcome: SwarmOutcome) => void;
  onError: (error: unknown) => void;
}) {
  const host = useCurrentHost();
  const [open, setOpen] = useState(false);
  const last = swarm.manager && swarm.managers === 1;
  const leave = async (): Promise<void> => {
    setOpen(false);
    try {
      const done = await client.swarm.leave({ params: { host }, body: { force: swarm.manager } });
      onDone({ message: `${host} left the swarm`, cli: done.cli });
    } catch (err) {
      onError(err);
    }
  };
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Leave swarm…
      </Button>
      <ConfirmDialog
        open={open}
        title="Leave the swarm?"
        confirmLabel={last ? 'Leave and end the swarm' : 'Leave swarm'}
        onConfirm={() => void leave()}
        onCancel={() => setOpen(false)}
      >
        {last ? (
          <p>
            <strong>{host}</strong> is the only manager. Leaving ends the swarm: its services,
            tasks, secrets, configs and overlay networks are erased, and the other nodes are left
            without a manager.
          </p>
        ) : swarm.manager ? (
          <p>
            <strong>{host}</strong> is one of {swarm.managers} managers. Leaving stops its tasks and
            takes it out of the managers, which lowers how many losses the swarm tolerates. It stays
            listed as a down node until it is removed.
          </p>
        ) : (
          <p>
            <strong>{host}</strong> stops running the swarm&apos;s tasks (they are rescheduled on
            other nodes) and stays listed as a down node until a manager removes it.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
