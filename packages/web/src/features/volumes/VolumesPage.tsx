import type { DirectoryListing, VolumeBackup } from '@berth/contract';
import { useState, type FormEvent } from 'react';
import { get, post } from '../../api/client.js';
import { useMe, useVolumes } from '../../api/queries.js';
import { HOST } from '../../app/Layout.js';
import { Badge, Button, Card, ErrorNotice, Field, formatBytes, Page } from '../../components/ui.js';

/** One volume's backups: make one, list them, restore one into a new volume. */
function Backups({ volume, canWrite }: { volume: string; canWrite: boolean }) {
  const [backups, setBackups] = useState<VolumeBackup[] | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const load = async (): Promise<void> =>
    setBackups(
      (await get<{ backups: VolumeBackup[] }>(`/api/hosts/${HOST}/volumes/${volume}/backups`))
        .backups,
    );
  const backup = async (): Promise<void> => {
    setStatus('Backing up…');
    try {
      const made = await post<VolumeBackup>(`/api/hosts/${HOST}/volumes/${volume}/backups`, {
        stopContainers: false,
      });
      setStatus(`Backed up ${made.files} files (${formatBytes(made.sizeBytes)})`);
      await load();
    } catch (err) {
      setError(err);
      setStatus('');
    }
  };
  const restore = async (id: string): Promise<void> => {
    setStatus('Restoring…');
    try {
      const done = await post<{ volume: string; files: number }>(
        `/api/hosts/${HOST}/volumes/${volume}/backups/${id}/restore`,
        {},
      );
      setStatus(`Restored ${done.files} files into ${done.volume}`);
    } catch (err) {
      setError(err);
      setStatus('');
    }
  };
  return (
    <div>
      <div className="toolbar">
        {canWrite && <Button onClick={() => void backup()}>Back up now</Button>}
        <Button onClick={() => void load()}>Show backups</Button>
        <span role="status" data-testid={`backup-status-${volume}`}>
          {status}
        </span>
      </div>
      <ErrorNotice error={error} />
      {backups && (
        <ul className="plain">
          {backups.map((b) => (
            <li key={b.id}>
              {new Date(b.createdAt).toLocaleString()} · {formatBytes(b.sizeBytes)} ·{' '}
              <a href={`/api/hosts/${HOST}/volumes/${volume}/backups/${b.id}/download`}>download</a>{' '}
              {canWrite && (
                <Button className="btn-small" onClick={() => void restore(b.id)}>
                  Restore into a new volume
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The volume's files, read-only. */
function Browse({ volume }: { volume: string }) {
  const [path, setPath] = useState('/');
  const [listing, setListing] = useState<DirectoryListing | null>(null);
  const [error, setError] = useState<unknown>(null);
  const open = async (to: string): Promise<void> => {
    try {
      setListing(
        await get<DirectoryListing>(
          `/api/hosts/${HOST}/volumes/${volume}/files?path=${encodeURIComponent(to)}`,
        ),
      );
      setPath(to);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <details onToggle={(e) => (e.currentTarget.open && !listing ? void open('/') : undefined)}>
      <summary>Browse files</summary>
      <p>
        <code>{path}</code>{' '}
        {path !== '/' && (
          <Button
            className="btn-small"
            onClick={() => void open(path.replace(/\/[^/]+$/, '') || '/')}
          >
            Up
          </Button>
        )}
      </p>
      <ErrorNotice error={error} />
      <ul className="plain">
        {listing?.entries.map((e) => (
          <li key={e.path}>
            {e.type === 'directory' ? (
              <button type="button" className="linklike" onClick={() => void open(e.path)}>
                {e.name}/
              </button>
            ) : (
              <>
                {e.name} <span className="muted">{formatBytes(e.size)}</span>
              </>
            )}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Volumes: who uses them, their files, and their backups. */
export default function VolumesPage() {
  const volumes = useVolumes(HOST);
  const me = useMe();
  const canWrite = me.data !== undefined && me.data.effectiveRole !== 'viewer';
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const create = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      await post('/api/hosts/' + HOST + '/volumes', { name });
      setName('');
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Page title="Volumes">
      {canWrite && (
        <form className="toolbar" onSubmit={(e) => void create(e)}>
          <Field label="New volume name" value={name} onChange={(e) => setName(e.target.value)} />
          <Button type="submit">Create volume</Button>
        </form>
      )}
      <ErrorNotice error={error ?? volumes.error} />
      <div className="grid">
        {(volumes.data ?? []).map((v) => (
          <Card key={v.name} title={v.name}>
            <p>
              <Badge>{v.driver}</Badge> {v.usedBy.length === 0 && <Badge>unused</Badge>}
            </p>
            {v.usedBy.length > 0 && (
              <p>Used by {v.usedBy.map((u) => `${u.name} (${u.destination})`).join(', ')}</p>
            )}
            <Browse volume={v.name} />
            <Backups volume={v.name} canWrite={canWrite} />
          </Card>
        ))}
      </div>
    </Page>
  );
}
