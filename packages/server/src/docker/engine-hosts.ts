import type { Logger } from 'pino';
import { errorMessage } from '../core/errors.js';
import { EngineClient } from './engine-client.js';
import { describeEndpoint, type EngineEndpoint } from './engine-endpoint.js';
import { EngineState } from './engine-state.js';
import { ProgressFeed } from './progress-feed.js';

export interface HostDefinition {
  id: string;
  name: string;
  endpoint: EngineEndpoint;
  labels?: string[];
  /** The engine ID it reached when added (null until known). */
  engineId?: string | null;
  /** True for hosts added through the API; `local` comes from DOCKER_HOST and stays. */
  removable?: boolean;
}

/** One engine host: its client and its live state. */
export interface EngineHost {
  id: string;
  name: string;
  endpoint: EngineEndpoint;
  endpointLabel: string;
  labels: string[];
  engineId: string | null;
  removable: boolean;
  /**
   * The unix socket on this machine the engine is reached through; null for an engine reached
   * over the network (TCP now; SSH and agent hosts later).
   */
  socketPath: string | null;
  client: EngineClient;
  state: EngineState;
  progress: ProgressFeed;
  /** Aborted when the host is removed or replaced: whatever it holds open must end. */
  retired: AbortSignal;
}

export type HostsChange =
  { kind: 'added'; host: EngineHost } | { kind: 'removed'; host: EngineHost; reason: string };

type StateOptions = { retryMinMs?: number; retryMaxMs?: number };

/**
 * Every engine Berth manages, one client and one EngineState each. Hosts come and go while
 * Berth runs: an added host starts at once, a changed one is replaced (its old client and
 * state stopped, a new pair started), a removed one is retired and forgotten.
 */
export class EngineHosts {
  private readonly hosts = new Map<string, EngineHost>();
  private readonly retirements = new Map<string, AbortController>();
  private readonly listeners = new Set<(change: HostsChange) => void>();
  private readonly labelListeners = new Set<(host: EngineHost) => void>();
  private started = false;

  constructor(
    definitions: HostDefinition[],
    private readonly logger: Logger,
    private readonly stateOptions: StateOptions = {},
  ) {
    for (const definition of definitions) this.hosts.set(definition.id, this.build(definition));
  }

  get(id: string): EngineHost | undefined {
    return this.hosts.get(id);
  }

  /** The labels a host carries now; undefined for a host that does not exist. */
  labelsOf(id: string): readonly string[] | undefined {
    return this.hosts.get(id)?.labels;
  }

  list(): EngineHost[] {
    return Array.from(this.hosts.values());
  }

  start(): void {
    this.started = true;
    for (const host of this.hosts.values()) host.state.start();
  }

  /** Adds a host and starts its client and state at once (when the hosts are started). */
  add(definition: HostDefinition): EngineHost {
    if (this.hosts.has(definition.id)) throw new Error(`host ${definition.id} exists already`);
    const host = this.build(definition);
    this.hosts.set(host.id, host);
    if (this.started) host.state.start();
    this.announce({ kind: 'added', host });
    return host;
  }

  /** Replaces a host's definition: its streams end, its client and state restart. */
  async update(definition: HostDefinition): Promise<EngineHost> {
    await this.remove(definition.id, `host "${definition.id}" was changed`);
    return this.add(definition);
  }

  /**
   * Retires a host: what it holds open is told to end (streams close with `reason`), its state
   * stops and its client closes, and it is forgotten. Resolves once it is all stopped.
   */
  async remove(id: string, reason = `host "${id}" was removed`): Promise<boolean> {
    const host = this.hosts.get(id);
    if (!host) return false;
    this.hosts.delete(id);
    this.retirements.get(id)?.abort(reason);
    this.retirements.delete(id);
    this.announce({ kind: 'removed', host, reason });
    await host.state.stop();
    host.client.close();
    return true;
  }

  /**
   * Changes a host's labels in place (its client and state go on): who is granted it by a
   * label sees the change at once. Undefined for a host that does not exist.
   */
  relabel(id: string, labels: string[]): EngineHost | undefined {
    const host = this.hosts.get(id);
    if (!host) return undefined;
    host.labels = labels;
    for (const listener of this.labelListeners) {
      try {
        listener(host);
      } catch (err) {
        this.logger.error({ host: id, err: errorMessage(err) }, 'labels listener failed');
      }
    }
    return host;
  }

  /** Called with a host whose labels changed. Returns the unsubscribe function. */
  onLabelsChanged(listener: (host: EngineHost) => void): () => void {
    this.labelListeners.add(listener);
    return () => this.labelListeners.delete(listener);
  }

  /** Called with every host added or removed (an update is a removal then an addition). */
  onHostsChanged(listener: (change: HostsChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `setup` for every host there is and every host added later; what it returns is
   * called when that host is removed (or when the returned function is). What subscribes per
   * host (trackers, recovery) follows hosts through this.
   */
  eachHost(setup: (host: EngineHost) => (() => void) | void): () => void {
    const teardowns = new Map<EngineHost, () => void>();
    const attach = (host: EngineHost): void => {
      const teardown = setup(host);
      if (teardown) teardowns.set(host, teardown);
    };
    for (const host of this.hosts.values()) attach(host);
    const off = this.onHostsChanged((change) => {
      if (change.kind === 'added') return attach(change.host);
      teardowns.get(change.host)?.();
      teardowns.delete(change.host);
    });
    return () => {
      off();
      for (const teardown of teardowns.values()) teardown();
      teardowns.clear();
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.list().map((host) => host.state.stop()));
    for (const host of this.hosts.values()) host.client.close();
  }

  private build(definition: HostDefinition): EngineHost {
    const client = new EngineClient(definition.endpoint);
    const retirement = new AbortController();
    this.retirements.set(definition.id, retirement);
    return {
      id: definition.id,
      name: definition.name,
      endpoint: definition.endpoint,
      endpointLabel: describeEndpoint(definition.endpoint),
      labels: definition.labels ?? [],
      engineId: definition.engineId ?? null,
      removable: definition.removable ?? false,
      socketPath: definition.endpoint.transport === 'unix' ? definition.endpoint.socketPath : null,
      client,
      state: new EngineState({
        hostId: definition.id,
        client,
        logger: this.logger,
        ...this.stateOptions,
      }),
      progress: new ProgressFeed(),
      retired: retirement.signal,
    };
  }

  private announce(change: HostsChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.logger.error(
          { host: change.host.id, err: errorMessage(err) },
          'hosts listener failed',
        );
      }
    }
  }
}
