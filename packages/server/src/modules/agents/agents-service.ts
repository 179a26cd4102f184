import {
  AgentPublicKey,
  formatJoinToken,
  formatPin,
  type AgentJoin,
  type AgentJoinRequest,
  type AgentStatus,
  type EventsMessage,
} from '@berth/contract';
import { AppError, errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { AgentTunnel } from '../../docker/agent-tunnel.js';
import type { EngineEndpoint } from '../../docker/engine-endpoint.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import type { HostProgressSource } from '../events/events-service.js';
import { fingerprintOf, newTokenSecret, publicKeyPin } from './agent-keys.js';
import { agentStatusOf, downReasonOf } from './agent-status.js';
import type { AgentRecord, AgentsRepository } from './agents-repository.js';

export interface AgentsServiceDeps {
  repository: AgentsRepository;
  hosts: EngineHosts;
  logger: Logger;
  /** Berth's TLS certificate (PEM), whose key join tokens pin; null with TLS off. */
  certificate: Buffer | null;
  now?: () => number;
}

const DEFAULT_TOKEN_MINUTES = 15;
/** How long a key rotation waits for the agent to come back with its new key. */
const ROTATION_RECONNECT_MS = 15_000;

/**
 * Agent hosts: each has a tunnel (its agent's session while connected) and a record (key,
 * pairing, join token). Join tokens are made here; the gateway admits agents through here.
 */
export class AgentsService implements HostProgressSource {
  private readonly tunnels = new Map<string, AgentTunnel>();
  private readonly listeners = new Map<string, Set<(message: EventsMessage) => void>>();
  private readonly records = new Map<string, AgentRecord>();
  /** SHA-256 (hex) of Berth's TLS public key; null with TLS off (agents cannot pair). */
  readonly pin: string | null;
  private readonly now: () => number;

  constructor(private readonly deps: AgentsServiceDeps) {
    this.pin = deps.certificate ? publicKeyPin(deps.certificate) : null;
    this.now = deps.now ?? Date.now;
    deps.hosts.onHostsChanged((change) => {
      if (change.kind !== 'removed' || change.host.endpoint.transport !== 'agent') return;
      // A host changed in place (its labels) keeps its tunnel; one removed ends it.
      if (this.deps.hosts.get(change.host.id)) return;
      this.tunnels
        .get(change.host.id)
        ?.disconnect(change.reason, `agent_unknown: ${change.reason}`);
      this.tunnels.delete(change.host.id);
      this.records.delete(change.host.id);
    });
  }

  /** The events stream of an agent host: an `agent` message whenever its status changes. */
  on(hostId: string, listener: (message: EventsMessage) => void): () => void {
    let set = this.listeners.get(hostId);
    if (!set) {
      set = new Set();
      this.listeners.set(hostId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(hostId);
    };
  }

  private announce(hostId: string): void {
    const listeners = this.listeners.get(hostId);
    if (!listeners || !this.records.has(hostId)) return;
    const message: EventsMessage = { type: 'agent', host: hostId, agent: this.status(hostId) };
    for (const listener of listeners) listener(message);
  }

  /** Reads every agent record (at start, before the stored hosts are loaded). */
  async load(): Promise<void> {
    for (const record of await this.deps.repository.list()) this.records.set(record.hostId, record);
  }

  /** The endpoint of an agent host: its tunnel. */
  endpointOf(hostId: string): EngineEndpoint {
    return { transport: 'agent', hostId, tunnel: this.tunnelOf(hostId) };
  }

  /** Refuses an agent host Berth could not pair: agents verify Berth by its TLS key. */
  assertCanPair(): void {
    if (this.pin === null)
      throw AppError.conflict(
        'agent_needs_tls',
        'Agents verify Berth by its TLS key before they send their token: start Berth with TLS (BERTH_TLS=self-signed, the default, or a certificate)',
      );
  }

  /** Makes the record of a new agent host (stored with its host). */
  async enrol(hostId: string): Promise<void> {
    await this.deps.repository.insert(hostId);
    await this.reread(hostId);
  }

  status(hostId: string): AgentStatus {
    return agentStatusOf(this.record(hostId), this.tunnels.get(hostId));
  }

  /** A new join token for the host; the one before it stops working. */
  async issueJoinToken(
    hostId: string,
    request: AgentJoinRequest,
    origin: string,
  ): Promise<AgentJoin> {
    this.record(hostId);
    this.assertCanPair();
    const pin = this.pin as string;
    const { secret, hash } = newTokenSecret();
    const minutes = request.expiresInMinutes ?? DEFAULT_TOKEN_MINUTES;
    const expiresAt = new Date(this.now() + minutes * 60_000).toISOString();
    await this.deps.repository.setToken(hostId, hash, expiresAt);
    await this.reread(hostId);
    const token = formatJoinToken(pin, secret);
    const serverUrl = request.serverUrl ?? origin;
    return {
      token,
      expiresAt,
      serverUrl,
      pin: formatPin(pin),
      command: `berth agent --server ${serverUrl} --token ${token}`,
      containerCommand: [
        'docker run -d --name berth-agent --restart unless-stopped',
        '-v /var/run/docker.sock:/var/run/docker.sock -v berth-agent:/var/lib/berth-agent',
        `berth-agent --server ${serverUrl} --token ${token}`,
      ].join(' '),
    };
  }

  /**
   * Has the connected agent make a new key pair and records its public key; the agent comes
   * back with it (waited for a while), and only that key works from then on.
   */
  async rotateKey(hostId: string): Promise<AgentStatus> {
    const record = this.record(hostId);
    const tunnel = this.tunnelOf(hostId);
    if (record.revokedAt) throw AppError.conflict('agent_revoked', downReasonOf(record));
    if (!tunnel.connected)
      throw AppError.unavailable(
        'agent_not_connected',
        `The agent of "${hostId}" is not connected (${tunnel.downReason}): a key is rotated by the agent itself`,
      );
    let printed: string;
    try {
      printed = (await tunnel.exec('rotate-key')).trim();
    } catch (err) {
      throw AppError.unavailable(
        'agent_rotation_failed',
        `The agent did not rotate its key: ${errorMessage(err)}`,
      );
    }
    if (!AgentPublicKey.safeParse(printed).success)
      throw AppError.unavailable(
        'agent_rotation_failed',
        'The agent answered the rotation with no public key',
      );
    await this.deps.repository.rotate(
      hostId,
      printed,
      fingerprintOf(printed),
      new Date(this.now()).toISOString(),
    );
    await this.reread(hostId);
    const back = waitForSession(tunnel, ROTATION_RECONNECT_MS);
    tunnel.disconnect('the agent is reconnecting with its new key', null);
    await back;
    return this.status(hostId);
  }

  /** Revokes the agent's key: its session ends and it is refused until re-paired. */
  async revoke(hostId: string): Promise<AgentStatus> {
    const record = this.record(hostId);
    if (!record.revokedAt) {
      await this.deps.repository.revoke(hostId, new Date(this.now()).toISOString());
      const revoked = await this.reread(hostId);
      this.tunnelOf(hostId).disconnect(
        downReasonOf(revoked),
        `agent_revoked: an admin of Berth revoked this agent's key`,
      );
    }
    return this.status(hostId);
  }

  /** The record of an agent host, or a 404 / 409 naming what the host is. */
  record(hostId: string): AgentRecord {
    const record = this.records.get(hostId);
    if (record) return record;
    if (this.deps.hosts.get(hostId))
      throw AppError.conflict('not_an_agent_host', `The host "${hostId}" is not an agent host`);
    throw AppError.notFound('host_not_found', `No host "${hostId}"`);
  }

  /** The record of an agent host, if it is one (the gateway asks by id). */
  find(hostId: string): AgentRecord | undefined {
    return this.records.get(hostId);
  }

  tunnelOf(hostId: string): AgentTunnel {
    let tunnel = this.tunnels.get(hostId);
    if (!tunnel) {
      const record = this.records.get(hostId);
      tunnel = new AgentTunnel(
        hostId,
        record ? downReasonOf(record) : 'the agent has not connected yet',
      );
      tunnel.onChange(() => {
        this.deps.hosts.get(hostId)?.state.retryNow();
        this.announce(hostId);
      });
      this.tunnels.set(hostId, tunnel);
    }
    return tunnel;
  }

  /** Reads a record again after a change; the tunnel's reason follows it. */
  async reread(hostId: string): Promise<AgentRecord> {
    const record = await this.deps.repository.get(hostId);
    if (!record) throw AppError.notFound('host_not_found', `No host "${hostId}"`);
    this.records.set(hostId, record);
    const tunnel = this.tunnels.get(hostId);
    if (tunnel && !tunnel.connected) tunnel.downReason = downReasonOf(record);
    this.announce(hostId);
    return record;
  }
}

/** Resolves when the tunnel has a session again, or after `ms` either way. */
function waitForSession(tunnel: AgentTunnel, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let seenDown = false;
    const timer = setTimeout(finish, ms);
    const off = tunnel.onChange((connected) => {
      if (!connected) seenDown = true;
      else if (seenDown) finish();
    });
    function finish(): void {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}
