import type { AgentJoin, Host } from '@berth/contract';
import { useState } from 'react';
import { Link } from 'react-router';
import { useHostInfo, useHosts, useMe } from '../../api/queries.js';
import { hostPath } from '../../app/host-paths.js';
import { age, longTime } from '../../components/time.js';
import { Badge, Button, ErrorNotice, formatBytes, Page } from '../../components/ui.js';
import { AgentFacts, AgentStateBadge } from './AgentFacts.js';
import { AgentJoinDialog } from './AgentJoinDialog.js';
import { RevokeAgentDialog, RotateKeyDialog } from './AgentKeyDialogs.js';
import { AGENT_STATE, agentNotice } from './agent-view.js';
import { HostDialog } from './HostDialog.js';
import { HostWatch } from './HostWatch.js';
import { RemoveHost } from './RemoveHost.js';
import './hosts.css';

const KIND_LABEL = { socket: 'socket', tcp: 'TCP', ssh: 'SSH', agent: 'agent' } as const;

/** A dialog the page has open for one host. */
type HostAction =
  | { kind: 'edit' | 'remove' | 'rotate' | 'revoke'; host: Host }
  | { kind: 'join'; host: string; join?: AgentJoin };

/** The status dot: the engine's reachability, or the agent's state while it is not serving. */
function dotOf(host: Host): string {
  const agent = host.agent;
  if (agent && agent.state !== 'connected') {
    const tone = AGENT_STATE[agent.state].tone;
    return tone === 'neutral' ? 'status-off' : `status-${tone}`;
  }
  return host.reachable ? 'status-good' : 'status-bad';
}

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

/** The line under a host's name: reachable, why not, or what its agent is waiting for. */
function HostState({ host }: { host: Host }) {
  const notice = host.agent ? agentNotice(host.agent) : null;
  if (notice !== null) {
    const tone = host.agent ? AGENT_STATE[host.agent.state].tone : 'bad';
    return (
      <p className={`notice notice-${tone}`} data-testid="host-state">
        {notice}
      </p>
    );
  }
  return (
    <p className={host.reachable ? 'muted' : 'notice notice-bad'} data-testid="host-state">
      {host.reachable ? 'Reachable' : `Unreachable ${age(host.since)}`}
      {!host.reachable && host.error ? ` — ${host.error}` : ''}
      {!host.reachable && (
        <span className="muted"> (since {longTime.format(new Date(host.since))})</span>
      )}
    </p>
  );
}

/** An admin's buttons for an agent host's pairing and key. */
function AgentButtons({ host, open }: { host: Host; open: (action: HostAction) => void }) {
  const state = host.agent?.state;
  const paired = state === 'connected' || state === 'disconnected';
  return (
    <>
      <Button className="btn-small" onClick={() => open({ kind: 'join', host: host.id })}>
        New join token
      </Button>
      {paired && (
        <Button
          className="btn-small"
          onClick={() => open({ kind: 'rotate', host })}
          disabled={state !== 'connected'}
          title={
            state === 'connected'
              ? undefined
              : 'The agent makes its new key itself: it must be connected'
          }
        >
          Rotate key
        </Button>
      )}
      {paired && (
        <Button
          className="btn-small"
          variant="danger"
          onClick={() => open({ kind: 'revoke', host })}
        >
          Revoke
        </Button>
      )}
    </>
  );
}

function HostCard({
  host,
  isAdmin,
  open,
}: {
  host: Host;
  isAdmin: boolean;
  open: (action: HostAction) => void;
}) {
  const [hardware, setHardware] = useState(false);
  const { counts } = host;
  return (
    <article className="card host-card" data-testid="host-card" data-host={host.id}>
      <HostWatch host={host.id} reachable={host.reachable} />
      <header className="host-card-head">
        <span className={`status-dot ${dotOf(host)}`} aria-hidden />
        <h2>
          <Link to={hostPath(host.id, 'containers')}>{host.id}</Link>
        </h2>
        <Badge>{KIND_LABEL[host.kind]}</Badge>
        {host.agent && <AgentStateBadge agent={host.agent} />}
        {host.insecure && <Badge tone="bad">insecure</Badge>}
        {host.labels.map((label) => (
          <Badge key={label} tone="info">
            {label}
          </Badge>
        ))}
      </header>
      {!host.agent && (
        <p className="host-url">
          <code>{host.url}</code>
        </p>
      )}
      <HostState host={host} />
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
      {host.agent && <AgentFacts agent={host.agent} />}
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
        {isAdmin && host.agent && <AgentButtons host={host} open={open} />}
        {isAdmin && (
          <Button className="btn-small" onClick={() => open({ kind: 'edit', host })}>
            Edit
          </Button>
        )}
        {isAdmin &&
          (host.removable ? (
            <Button
              className="btn-small"
              variant="danger"
              onClick={() => open({ kind: 'remove', host })}
            >
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

/** What the page says once an agent's join dialog closes: it was shown once. */
function joinMessage(host: string, created: boolean, shown: boolean): string | null {
  const once =
    'Its join command is not shown again: if it is lost, make a new join token on its card.';
  if (created) return `Added host ${host}. ${once}`;
  return shown ? `Made a new join token for ${host}. ${once}` : null;
}

/** Every host the user may see, its state and counts; admins add, change and remove hosts. */
export default function HostsPage() {
  const hosts = useHosts();
  const me = useMe();
  const isAdmin = me.data?.effectiveRole === 'admin';
  const [adding, setAdding] = useState(false);
  const [action, setAction] = useState<HostAction | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const done = (text: string | null): void => {
    setAdding(false);
    setAction(null);
    setMessage(text);
  };
  const close = (): void => setAction(null);
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
          <HostCard key={host.id} host={host} isAdmin={isAdmin} open={setAction} />
        ))}
      </div>
      <HostDialog
        open={adding}
        onOpenChange={setAdding}
        onDone={done}
        onJoin={(host, join) => {
          setAdding(false);
          setMessage(null);
          setAction({ kind: 'join', host, join });
        }}
      />
      {action?.kind === 'edit' && (
        <HostDialog host={action.host} open onOpenChange={(o) => !o && close()} onDone={done} />
      )}
      {action?.kind === 'remove' && (
        <RemoveHost host={action.host} onCancel={close} onDone={done} />
      )}
      {action?.kind === 'join' && (
        <AgentJoinDialog
          host={action.host}
          {...(action.join ? { join: action.join } : {})}
          onClose={(shown) => done(joinMessage(action.host, action.join !== undefined, shown))}
        />
      )}
      {action?.kind === 'rotate' && <RotateKeyDialog host={action.host} onClose={close} />}
      {action?.kind === 'revoke' && (
        <RevokeAgentDialog host={action.host} onCancel={close} onDone={done} />
      )}
    </Page>
  );
}
