import type { PruneResult, VolumeSummary } from '@berth/contract';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { client } from '../../api/client.js';
import { keys, useMe, useVolumes } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { CommandBlock } from '../../components/CommandBlock.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { Dialog } from '../../components/Dialog.js';
import { StaleNotice } from '../../components/StaleNotice.js';
import { ErrorNotice, Page } from '../../components/ui.js';
import '../../styles/resource-list.css';
import { BackupScheduleSection } from './BackupSchedule.js';
import { VolumeBackups } from './VolumeBackups.js';
import { VolumeBrowser } from './VolumeBrowser.js';
import { VolumeCreate } from './VolumeCreate.js';
import { VolumeDetails } from './VolumeDetails.js';
import { VolumeList, type VolumePanel } from './VolumeList.js';
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

const PANEL_TITLES: Record<VolumePanel, string> = {
  browse: 'Files of',
  backups: 'Backups of',
  details: 'Volume',
};

/** Volumes: the list first (search, filters, per-row actions); files, backups and details in panels. */
export default function VolumesPage() {
  const host = useCurrentHost();
  const queryClient = useQueryClient();
  const volumes = useVolumes(host);
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const [search, setSearch] = useState('');
  const [usage, setUsage] = useState('');
  const [driver, setDriver] = useState('');
  const [panel, setPanel] = useState<{ kind: VolumePanel; name: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [removing, setRemoving] = useState<VolumeSummary | null>(null);
  const all = useMemo(() => volumes.data ?? [], [volumes.data]);
  const names = all.map((v) => v.name);
  const drivers = [...new Set(all.map((v) => v.driver))].sort();
  // The engine measures sizes slowly: asked for apart, so the list shows at once.
  const sizes = useQuery({
    queryKey: [...keys.volumes(host), 'sizes'],
    queryFn: () => client.volumes.list({ params: { host }, query: { size: 'true' } }),
    select: (list) => new Map(list.volumes.map((v) => [v.name, v.sizeBytes])),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: keys.volumes(host) });
  const rows = useMemo(() => {
    const q = search.trim().toLowerCase();
    return all
      .filter((v) => !usage || (usage === 'used') === v.usedBy.length > 0)
      .filter((v) => !driver || v.driver === driver)
      .filter(
        (v) =>
          !q ||
          v.name.toLowerCase().includes(q) ||
          v.usedBy.some((u) => u.name.toLowerCase().includes(q)) ||
          Object.entries(v.labels).some(([k, val]) => `${k}=${val}`.toLowerCase().includes(q)),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
  }, [all, search, usage, driver]);
  const open = panel ? all.find((v) => v.name === panel.name) : undefined;

  const remove = async (): Promise<void> => {
    if (!removing) return;
    const volume = removing.name;
    setRemoving(null);
    setError(null);
    try {
      const done = await client.volumes.remove({ params: { host, name: volume } });
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
          <>
            <VolumePrune
              onDone={(result) => {
                setError(null);
                setOutcome(pruneOutcome(result));
                void refresh();
              }}
            />
            <VolumeCreate
              onCreated={(created) => {
                setError(null);
                setOutcome({ message: `Created ${created.name}`, cli: created.cli });
                void refresh();
              }}
            />
          </>
        )
      }
    >
      <div className="filters" role="search">
        <input
          type="search"
          className="list-search"
          placeholder="Search name, user, label"
          aria-label="Search volumes"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select aria-label="In use" value={usage} onChange={(e) => setUsage(e.target.value)}>
          <option value="">In use and unused</option>
          <option value="used">In use</option>
          <option value="unused">Unused</option>
        </select>
        <select aria-label="Driver" value={driver} onChange={(e) => setDriver(e.target.value)}>
          <option value="">All drivers</option>
          {drivers.map((d) => (
            <option key={d}>{d}</option>
          ))}
        </select>
      </div>
      <ErrorNotice error={error ?? volumes.error} />
      <StaleNotice kind="volumes" host={host} />
      {outcome && (
        <div className="notice" role="status" data-testid="volumes-outcome">
          {outcome.message}
          <CommandBlock command={outcome.cli} />
        </div>
      )}
      <VolumeList
        volumes={rows}
        total={all.length}
        sizes={sizes.data}
        canWrite={canWrite}
        onOpen={(kind, v) => setPanel({ kind, name: v.name })}
        onRemove={setRemoving}
      />
      <Dialog
        side
        title={panel ? `${PANEL_TITLES[panel.kind]} ${panel.name}` : 'Volume'}
        open={open !== undefined}
        onOpenChange={(isOpen) => {
          if (!isOpen) setPanel(null);
        }}
      >
        <div key={panel ? `${panel.kind}:${panel.name}` : ''}>
          {open && panel?.kind === 'browse' && (
            <VolumeBrowser volume={open.name} canDownload={canWrite} />
          )}
          {open && panel?.kind === 'backups' && (
            <>
              <VolumeBackups volume={open} volumes={names} canWrite={canWrite} />
              <BackupScheduleSection volume={open.name} canWrite={canWrite} />
            </>
          )}
          {open && panel?.kind === 'details' && (
            <VolumeDetails
              volume={open}
              sizeBytes={sizes.data ? (sizes.data.get(open.name) ?? null) : undefined}
            />
          )}
        </div>
      </Dialog>
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
