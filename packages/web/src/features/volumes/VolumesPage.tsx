import type { PruneResult, VolumeSummary } from '@berth/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { client } from '../../api/client.js';
import { keys, useMe, useVolumes } from '../../api/queries.js';
import { HOST } from '../../app/Layout.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { StaleNotice } from '../../components/StaleNotice.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Button, Card, ErrorNotice, Field, Page } from '../../components/ui.js';
import { BackupScheduleSection } from './BackupSchedule.js';
import { VolumeBackups } from './VolumeBackups.js';
import { VolumeBrowser } from './VolumeBrowser.js';
import { VolumeDetails } from './VolumeDetails.js';
import { VolumePrune } from './VolumePrune.js';

/** What was last done on the page, said plainly, with its docker equivalent. */
interface Outcome {
  message: string;
  cli: string | null;
}

function pruneOutcome(result: PruneResult): Outcome {
  const names = result.removed.map((r) => r.name).join(', ');
  const failed = result.failed.map((f) => `${f.id}: ${f.error}`).join('; ');
  return {
    message: `Pruned ${result.removed.length} volumes${names ? ` (${names})` : ''}${
      failed ? `; could not remove ${failed}` : ''
    }`,
    cli: result.cli,
  };
}

/** Volumes: who uses them, their files, backups and schedules; create, remove, prune. */
export default function VolumesPage() {
  const queryClient = useQueryClient();
  const volumes = useVolumes(HOST);
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [removing, setRemoving] = useState<VolumeSummary | null>(null);
  const names = (volumes.data ?? []).map((v) => v.name);
  // The engine measures sizes slowly: asked for apart, so the list shows at once.
  const sizes = useQuery({
    queryKey: [...keys.volumes(HOST), 'sizes'],
    queryFn: () => client.volumes.list({ params: { host: HOST }, query: { size: 'true' } }),
    select: (list) => new Map(list.volumes.map((v) => [v.name, v.sizeBytes])),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.volumes(HOST) });

  const create = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      const created = await client.volumes.create({ params: { host: HOST }, body: { name } });
      setName('');
      setOutcome({ message: `Created ${created.name}`, cli: created.cli });
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  const remove = async (): Promise<void> => {
    if (!removing) return;
    const volume = removing.name;
    setRemoving(null);
    setError(null);
    try {
      const done = await client.volumes.remove({ params: { host: HOST, name: volume } });
      setOutcome({ message: `Removed ${volume}`, cli: done.cli });
      await refresh();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Page
      title="Volumes"
      actions={
        canWrite && (
          <VolumePrune
            onError={setError}
            onDone={(result) => {
              setOutcome(pruneOutcome(result));
              void refresh();
            }}
          />
        )
      }
    >
      {canWrite && (
        <form className="toolbar" onSubmit={(e) => void create(e)}>
          <Field label="New volume name" value={name} onChange={(e) => setName(e.target.value)} />
          <Button type="submit">Create volume</Button>
        </form>
      )}
      <ErrorNotice error={error ?? volumes.error} />
      <StaleNotice kind="volumes" host={HOST} />
      {outcome && (
        <div className="notice" role="status" data-testid="volumes-outcome">
          {outcome.message}
          <CommandBlock command={outcome.cli} />
        </div>
      )}
      <div className="grid">
        {(volumes.data ?? []).map((v) => (
          <Card
            key={v.name}
            title={v.name}
            actions={
              canWrite && (
                <Button
                  variant="danger"
                  className="btn-small"
                  aria-label={`Remove volume ${v.name}`}
                  onClick={() => setRemoving(v)}
                >
                  Remove
                </Button>
              )
            }
          >
            <VolumeDetails
              volume={v}
              sizeBytes={sizes.data ? (sizes.data.get(v.name) ?? null) : undefined}
            />
            <VolumeBrowser volume={v.name} canDownload={canWrite} />
            <VolumeBackups volume={v} volumes={names} canWrite={canWrite} />
            <BackupScheduleSection volume={v.name} canWrite={canWrite} />
          </Card>
        ))}
      </div>
      <ConfirmDialog
        open={removing !== null}
        title="Remove volume?"
        confirmLabel="Remove volume"
        onConfirm={() => void remove()}
        onCancel={() => setRemoving(null)}
      >
        {removing && (
          <>
            <p>
              <strong>{removing.name}</strong> and all its files will be removed. Its backups stay.
            </p>
            {removing.usedBy.length > 0 ? (
              <p>
                It is used by {removing.usedBy.map((u) => `${u.name} (${u.state})`).join(', ')}: the
                engine refuses to remove a volume while a container uses it.
              </p>
            ) : (
              <p>No container uses it.</p>
            )}
          </>
        )}
      </ConfirmDialog>
    </Page>
  );
}
