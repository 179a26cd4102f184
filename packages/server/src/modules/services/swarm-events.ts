import type { EventsMessage, StreamSwarm } from '@berth/contract';
import { runDetached } from '../../core/detached.js';
import type { Logger } from '../../core/logger.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import type { RawEvent } from '../../docker/engine-types.js';
import { SwarmApi } from '../../docker/swarm-api.js';
import type { HostProgressSource } from '../events/events-service.js';
import type { RollbackLedger } from './rollback-ledger.js';

const SWARM_KINDS = new Set(['service', 'node', 'secret', 'config']);
/** Task container events that move a task (exec and attach do not). */
const TASK_ACTIONS = new Set(['create', 'start', 'die', 'kill', 'stop', 'destroy', 'oom']);

/** An engine event as the events stream's `swarm` message, or null when it is not one. */
export function swarmMessage(hostId: string, event: RawEvent): StreamSwarm | null {
  const attrs = event.Actor.Attributes ?? {};
  const action = event.Action.split(':')[0] ?? event.Action;
  if (SWARM_KINDS.has(event.Type)) {
    return {
      type: 'swarm',
      host: hostId,
      kind: event.Type as StreamSwarm['kind'],
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
      type: 'swarm',
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

/**
 * The swarm part of a host's events stream, from the engine state's one event stream (no
 * stream per viewer). When a rollback starts, the service is read once to note who started it
 * (the engine's message says so only while it runs).
 */
export class SwarmEventsFeed implements HostProgressSource {
  private readonly noting = new Set<string>();
  private readonly settling = new Map<string, Promise<void>>();

  constructor(
    private readonly hosts: EngineHosts,
    private readonly ledger: RollbackLedger,
    private readonly logger: Logger,
  ) {}

  on(hostId: string, listener: (message: EventsMessage) => void): () => void {
    const host = this.hosts.get(hostId);
    if (!host) return () => undefined;
    return host.state.onEngineEvent((event) => {
      const message = swarmMessage(host.id, event);
      if (!message) return;
      if (message.kind === 'service' && message.updateState?.startsWith('rollback'))
        this.noteRollback(host.id, new SwarmApi(host.client), message.id);
      if (message.kind !== 'task') {
        listener(message);
        return;
      }
      // A task container's event comes before the manager has the task's new state: tell the
      // viewers once the manager has it, so what they re-read is already the new state.
      const key = `${host.id}/${message.id}/${message.action}/${event.timeNano}`;
      let settled = this.settling.get(key);
      if (!settled) {
        settled = this.settle(new SwarmApi(host.client), message).finally(() =>
          this.settling.delete(key),
        );
        this.settling.set(key, settled);
      }
      runDetached(
        settled.then(() => listener(message)),
        this.logger,
        { host: host.id, task: message.id },
        'task move not sent',
      );
    });
  }

  /** Waits (a few seconds at most) until the manager's task state matches the container's. */
  private async settle(api: SwarmApi, message: StreamSwarm): Promise<void> {
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
