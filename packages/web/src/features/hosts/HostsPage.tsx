import type { Host } from '@berth/contract';
import { useState } from 'react';
import { Link } from 'react-router';
import { useHostInfo, useHosts, useMe } from '../../api/queries.js';
import { hostPath } from '../../app/host-paths.js';
import { age, longTime } from '../../components/time.js';
import { Badge, Button, ErrorNotice, formatBytes, Page } from '../../components/ui.js';
import { HostDialog } from './HostDialog.js';
import { HostWatch } from './HostWatch.js';
import { RemoveHost } from './RemoveHost.js';
import './hosts.css';

const KIND_LABEL = { socket: 'socket', tcp: 'TCP', ssh: 'SSH' } as const;

/** The hardware profile, asked for only when the admin opens it (it calls the engine). */
function HostHardware({ host }: { host: string }) {
  const info = useHostInfo(host);
  if (info.isPending) return <p className="muted">Reading the hardware profile…</p>;
  if (info.isError) return <ErrorNotice error={info.error} />;
  const { hardware, engine } = info.data;
  return (
    <dl className="facts" data-testid="host-hardware">
      <dt>Profile</dt>
      <dd>
        {hardware.profile}
        {hardware.model ? ` (${hardware.model})` : ''}
      </dd>
      <dt>CPUs / memory</dt>
      <dd>
        {hardware.cpus} · {formatBytes(hardware.memoryBytes)} · {hardware.arch}
      </dd>
      <dt>Containers</dt>
      <dd>
        up to {hardware.recommendedContainers} recommended, {hardware.maxContainers} at most
      </dd>
      <dt>Engine</dt>
      <dd>
        {engine.os} · {engine.kernelVersion} · {engine.storageDriver}
      </dd>
    </dl>
  );
}

function HostCard({
  host,
  isAdmin,
  onEdit,
  onRemove,
}: {
  host: Host;
  isAdmin: boolean;
  onEdit: () => void;
  onRemove: () => void;
}) {
  const [hardware, setHardware] = useState(false);
  const { counts } = host;
  return (
    <article className="card host-card" data-testid="host-card" data-host={host.id}>
      <HostWatch host={host.id} reachable={host.reachable} />
      <header className="host-card-head">
        <span
          className={`status-dot ${host.reachable ? 'status-good' : 'status-bad'}`}
          aria-hidden
        />
        <h2>
          <Link to={hostPath(host.id, 'containers')}>{host.id}</Link>
        </h2>
        <Badge>{KIND_LABEL[host.kind]}</Badge>
        {host.insecure && <Badge tone="bad">insecure</Badge>}
        {host.labels.map((label) => (
          <Badge key={label} tone="info">
            {label}
          </Badge>
        ))}
      </header>
      <p className="host-url">
        <code>{host.url}</code>
      </p>
      <p className={host.reachable ? 'muted' : 'notice notice-bad'} data-testid="host-state">
        {host.reachable ? 'Reachable' : `Unreachable ${age(host.since)}`}
        {!host.reachable && host.error ? ` — ${host.error}` : ''}
        {!host.reachable && (
          <span className="muted"> (since {longTime.format(new Date(host.since))})</span>
        )}
      </p>
      <dl className="facts">
        <dt>Engine</dt>
        <dd>{host.version ? `Docker ${host.version} (API ${host.apiVersion ?? '?'})` : '—'}</dd>
        <dt>Latency</dt>
        <dd>{host.latencyMs === null ? '—' : `${host.latencyMs.toFixed(0)} ms`}</dd>
        <dt>Last event</dt>
        <dd title={host.lastEventAt ? longTime.format(new Date(host.lastEventAt)) : undefined}>
          {host.lastEventAt ? age(host.lastEventAt) : 'none yet'}
        </dd>
        <dt>Containers</dt>
        <dd>
          {counts.running} running of {counts.containers}
        </dd>
        <dt>Images · networks · volumes</dt>
        <dd>
          {counts.images} · {counts.networks} · {counts.volumes}
        </dd>
        {host.ssh && (
          <>
            <dt>SSH host key</dt>
            <dd>
              <code>{host.ssh.hostKey}</code>
              {host.ssh.keyConfigured ? '' : ' (Berth’s SSH agent)'}
            </dd>
          </>
        )}
        {host.tls.serverName && (
          <>
            <dt>TLS name</dt>
            <dd>{host.tls.serverName}</dd>
          </>
        )}
      </dl>
      {hardware && <HostHardware host={host.id} />}
      <footer className="host-card-actions">
        <Button
          className="btn-small"
          aria-expanded={hardware}
          onClick={() => setHardware((open) => !open)}
          disabled={!host.reachable && !hardware}
        >
          {hardware ? 'Hide hardware' : 'Hardware profile'}
        </Button>
        {isAdmin && (
          <Button className="btn-small" onClick={onEdit}>
            Edit
          </Button>
        )}
        {isAdmin &&
          (host.removable ? (
            <Button className="btn-small" variant="danger" onClick={onRemove}>
              Remove
            </Button>
          ) : (
            <span className="muted small">
              Cannot be removed: it is Berth&apos;s own engine (DOCKER_HOST)
            </span>
          ))}
      </footer>
    </article>
  );
}

/** Every host the user may see, its state and counts; admins add, change and remove hosts. */
export default function HostsPage() {
  const hosts = useHosts();
  const me = useMe();
  const isAdmin = me.data?.effectiveRole === 'admin';
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Host | null>(null);
  const [removing, setRemoving] = useState<Host | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const done = (text: string): void => {
    setAdding(false);
    setEditing(null);
    setRemoving(null);
    setMessage(text);
  };
  return (
    <Page
      title="Hosts"
      actions={
        isAdmin && (
          <Button variant="primary" onClick={() => setAdding(true)}>
            Add host
          </Button>
        )
      }
    >
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      <ErrorNotice error={hosts.error} />
      {hosts.isPending && <p className="loading">Loading…</p>}
      <div className="host-grid">
        {(hosts.data ?? []).map((host) => (
          <HostCard
            key={host.id}
            host={host}
            isAdmin={isAdmin}
            onEdit={() => setEditing(host)}
            onRemove={() => setRemoving(host)}
          />
        ))}
      </div>
      <HostDialog open={adding} onOpenChange={setAdding} onDone={done} />
      {editing && (
        <HostDialog
          host={editing}
          open
          onOpenChange={(open) => !open && setEditing(null)}
          onDone={done}
        />
      )}
      {removing && <RemoveHost host={removing} onCancel={() => setRemoving(null)} onDone={done} />}
    </Page>
  );
}
