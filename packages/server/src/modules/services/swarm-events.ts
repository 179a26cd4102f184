import type { EventsMessage, StreamSwarmChange } from '@berth/contract';
import { runDetached } from '../../core/detached.js';
import type { Logger } from '../../core/logger.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import type { RawEvent } from '../../docker/engine-types.js';
import { SwarmApi } from '../../docker/swarm-api.js';
import type { HostProgressSource } from '../events/events-service.js';
import type { RollbackLedger } from './rollback-ledger.js';
import { watchUpdate } from './update-watch.js';

const SWARM_KINDS = new Set(['service', 'node', 'secret', 'config']);
/** Task container events that move a task (exec and attach do not). */
const TASK_ACTIONS = new Set(['create', 'start', 'die', 'kill', 'stop', 'destroy', 'oom']);

/** An engine event as the events stream's `swarm` message, or null when it is not one. */
export function swarmMessage(hostId: string, event: RawEvent): StreamSwarmChange | null {
  const attrs = event.Actor.Attributes ?? {};
  const action = event.Action.split(':')[0] ?? event.Action;
  if (SWARM_KINDS.has(event.Type)) {
    return {
      type: 'swarm-change',
      host: hostId,
      kind: event.Type as StreamSwarmChange['kind'],
      action,
      id: event.Actor.ID,
      name: attrs.name ?? null,
      service: null,
      updateState: attrs['updatestate.new'] ?? null,
    };
  }
  const task = attrs['com.docker.swarm.task.id'];
  if (event.Type === 'container' && task && TASK_ACTIONS.has(action)) {
    return {
      type: 'swarm-change',
      host: hostId,
      kind: 'task',
      action,
      id: task,
      name: attrs['com.docker.swarm.task.name'] ?? null,
      service: attrs['com.docker.swarm.service.id'] ?? null,
      updateState: null,
    };
  }
  return null;
}

type Listener = (message: EventsMessage) => void;

/** One host's feed: its viewers, the engine-event subscription, the updates being followed. */
interface HostFeed {
  listeners: Set<Listener>;
  stop: () => void;
  updates: Map<string, AbortController>;
}

/**
 * The swarm part of a host's events stream, from the engine state's one event stream and
 * shared by every viewer of the host. When a rollback starts, the service is read once to note
 * who started it (the engine's message says so only while it runs); while an update runs, its
 * tasks are followed (watchUpdate) so moves on every node are sent, not only this one's.
 */
export class SwarmEventsFeed implements HostProgressSource {
  private readonly noting = new Set<string>();
  private readonly settling = new Map<string, Promise<void>>();
  private readonly feeds = new Map<string, HostFeed>();

  constructor(
    private readonly hosts: EngineHosts,
    private readonly ledger: RollbackLedger,
    private readonly logger: Logger,
  ) {}

  on(hostId: string, listener: Listener): () => void {
    const host = this.hosts.get(hostId);
    if (!host) return () => undefined;
    let feed = this.feeds.get(host.id);
    if (!feed) {
      const fresh: HostFeed = { listeners: new Set(), stop: () => undefined, updates: new Map() };
      const api = new SwarmApi(host.client);
      fresh.stop = host.state.onEngineEvent((event) => this.onEvent(host.id, api, fresh, event));
      this.feeds.set(host.id, fresh);
      feed = fresh;
    }
    const current = feed;
    current.listeners.add(listener);
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size > 0) return;
      current.stop();
      for (const abort of current.updates.values()) abort.abort();
      if (this.feeds.get(host.id) === current) this.feeds.delete(host.id);
    };
  }

  private onEvent(hostId: string, api: SwarmApi, feed: HostFeed, event: RawEvent): void {
    const message = swarmMessage(hostId, event);
    if (!message) return;
    const send = (m: StreamSwarmChange): void => {
      for (const listener of feed.listeners) listener(m);
    };
    if (message.kind === 'service') {
      if (message.updateState?.startsWith('rollback')) this.noteRollback(hostId, api, message.id);
      if (message.updateState === 'updating' || message.updateState === 'rollback_started')
        this.follow(hostId, api, feed, message.id, send);
    }
    if (message.kind !== 'task') {
      send(message);
      return;
    }
    // A task container's event comes before the manager has the task's new state: tell the
    // viewers once the manager has it, so what they re-read is already the new state.
    const key = `${hostId}/${message.id}/${message.action}/${event.timeNano}`;
    let settled = this.settling.get(key);
    if (!settled) {
      settled = this.settle(api, message).finally(() => this.settling.delete(key));
      this.settling.set(key, settled);
    }
    runDetached(
      settled.then(() => send(message)),
      this.logger,
      { host: hostId, task: message.id },
      'task move not sent',
    );
  }

  private follow(
    hostId: string,
    api: SwarmApi,
    feed: HostFeed,
    serviceId: string,
    send: (m: StreamSwarmChange) => void,
  ): void {
    if (feed.updates.has(serviceId)) return;
    const abort = new AbortController();
    feed.updates.set(serviceId, abort);
    runDetached(
      watchUpdate(api, hostId, serviceId, abort.signal, send).finally(() => {
        if (feed.updates.get(serviceId) === abort) feed.updates.delete(serviceId);
      }),
      this.logger,
      { host: hostId, service: serviceId },
      'update progress stopped',
    );
  }

  /** Waits (a few seconds at most) until the manager's task state matches the container's. */
  private async settle(api: SwarmApi, message: StreamSwarmChange): Promise<void> {
    const wantRunning = message.action === 'start';
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const [task] = await api.tasks({ id: [message.id] }).catch(() => []);
      if (!task) return;
      const running = task.Status.State === 'running';
      if (running === wantRunning || (message.action === 'create' && !running)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private noteRollback(hostId: string, api: SwarmApi, serviceId: string): void {
    const key = `${hostId}/${serviceId}`;
    if (this.noting.has(key)) return;
    this.noting.add(key);
    runDetached(
      api
        .service(serviceId)
        .then((service) => {
          if (service) this.ledger.note(service.ID, service.UpdateStatus);
        })
        .finally(() => this.noting.delete(key)),
      this.logger,
      { host: hostId, service: serviceId },
      'rollback not noted',
    );
  }
}
