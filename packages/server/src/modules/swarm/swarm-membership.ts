import type { EventsMessage, HostSwarm, SwarmQuorum } from '@berth/contract';
import type { Logger } from 'pino';
import { errorMessage } from '../../core/errors.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import type { RawEvent } from '../../docker/engine-types.js';
import type { RawNode, RawSwarmInfo } from '../../docker/swarm-types.js';
import type { HostProgressSource } from '../events/events-service.js';
import { membershipOf, quorumOf } from './swarm-view.js';

/** What Berth keeps of a host's swarm between events: its membership and, on a manager, a summary. */
export interface SwarmSnapshot {
  membership: HostSwarm;
  clusterName: string | null;
  nodes: number | null;
  managers: number | null;
  quorum: SwarmQuorum | null;
  /** The highest node version: any node change (availability, labels) moves it. */
  nodesVersion: number | null;
}

/** Local networks a swarm makes and takes away when the engine inits, joins or leaves. */
const SWARM_NETWORKS = new Set(['ingress', 'docker_gwbridge']);

/** Engine events after which a host's swarm may have changed. */
export function changesSwarm(event: RawEvent): boolean {
  if (event.Type === 'node') return true;
  return event.Type === 'network' && SWARM_NETWORKS.has(event.Actor.Attributes?.name ?? '');
}

/**
 * Every host's swarm membership, read from its engine after each sync (the first one and every
 * reconnect) and after the events that change it (`node` events on managers, the swarm's own
 * networks coming and going), never by polling. A change (of membership, counts, quorum or any
 * node) is pushed on the host's events stream, so the pages showing it read it again.
 */
export class SwarmMembership implements HostProgressSource {
  private readonly snapshots = new Map<string, SwarmSnapshot>();
  private readonly listeners = new Map<string, Set<(message: EventsMessage) => void>>();
  private readonly running = new Map<string, { again: boolean; done: Promise<void> }>();

  constructor(
    private readonly hosts: EngineHosts,
    private readonly logger: Logger,
  ) {
    hosts.eachHost((host) => this.watch(host));
  }

  /** The host's membership as last read; null until it was read once. */
  of(hostId: string): HostSwarm | null {
    return this.snapshots.get(hostId)?.membership ?? null;
  }

  snapshot(hostId: string): SwarmSnapshot | null {
    return this.snapshots.get(hostId) ?? null;
  }

  on(hostId: string, listener: (message: EventsMessage) => void): () => void {
    let set = this.listeners.get(hostId);
    if (!set) this.listeners.set(hostId, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Reads the host's swarm again, resolving once it is stored (and pushed if it changed).
   * Calls that arrive while one runs are folded into one more read after it.
   */
  refresh(host: EngineHost): Promise<void> {
    const current = this.running.get(host.id);
    if (current) {
      current.again = true;
      return current.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await this.read(host).catch((err: unknown) =>
            this.logger.debug({ host: host.id, err: errorMessage(err) }, 'swarm read failed'),
          );
        } while (entry.again);
      } finally {
        this.running.delete(host.id);
      }
    })();
    this.running.set(host.id, entry);
    return entry.done;
  }

  private watch(host: EngineHost): () => void {
    // A host whose state synced before this subscribed is read once it is (at once if so).
    void host.state.whenSynced().then(() => this.refresh(host));
    const offSynced = host.state.onSynced(() => void this.refresh(host));
    const offEvent = host.state.onEngineEvent((event) => {
      if (changesSwarm(event)) void this.refresh(host);
    });
    return () => {
      offSynced();
      offEvent();
      this.snapshots.delete(host.id);
    };
  }

  private async read(host: EngineHost): Promise<void> {
    const info = await host.client.request<{ Swarm?: RawSwarmInfo }>('GET', '/info');
    const membership = membershipOf(info.Swarm);
    let summary: Omit<SwarmSnapshot, 'membership'> = {
      clusterName: null,
      nodes: null,
      managers: null,
      quorum: null,
      nodesVersion: null,
    };
    if (membership.manager) {
      const nodes = await host.client.request<RawNode[]>('GET', '/nodes');
      summary = {
        clusterName: info.Swarm?.Cluster?.Spec.Name ?? null,
        nodes: nodes.length,
        managers: nodes.filter((n) => n.Spec.Role === 'manager').length,
        quorum: quorumOf(nodes),
        nodesVersion: Math.max(0, ...nodes.map((n) => n.Version.Index)),
      };
    }
    if (this.hosts.get(host.id) !== host) return;
    const before = this.snapshots.get(host.id);
    const next = { membership, ...summary };
    this.snapshots.set(host.id, next);
    if (before && JSON.stringify(before) === JSON.stringify(next)) return;
    for (const listener of this.listeners.get(host.id) ?? [])
      listener({ type: 'swarm', host: host.id, swarm: membership });
  }
}
