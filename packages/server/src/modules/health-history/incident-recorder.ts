import { randomUUID } from 'node:crypto';
import type { ContainerIncident, IncidentKind, StartValidation } from '@berth/contract';
import type { Logger } from 'pino';
import { errorMessage } from '../../core/errors.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import type { RawEvent } from '../../docker/engine-types.js';
import type { IncidentsRepository } from './incidents-repository.js';
import { DEFAULT_RESTART_LOOP, RestartLoops, type RestartLoopPolicy } from './restart-loops.js';

export interface IncidentRecorderOptions {
  hosts: EngineHosts;
  repository: IncidentsRepository;
  logger: Logger;
  restartLoop?: RestartLoopPolicy;
  /** Incidents older than this are dropped (default 30 days). */
  retentionMs?: number;
  /** At most this many per host are kept (default 20 000). */
  maxPerHost?: number;
  now?: () => number;
}

/** Attributes of container events that are not labels. */
const NOT_LABELS = new Set(['name', 'image', 'exitCode', 'execDuration', 'signal']);
const PRUNE_EVERY = 200;

/**
 * The health history: every health change, exit (with its code), OOM kill, restart loop and
 * post-start failure of every container, from the event stream Berth already follows per host.
 */
export class IncidentRecorder {
  private readonly listeners = new Set<(incident: ContainerIncident) => void>();
  private readonly loops: RestartLoops;
  private readonly health = new Map<string, string>();
  private readonly now: () => number;
  private writes = Promise.resolve();
  private sincePrune = 0;
  private stop: (() => void) | null = null;

  constructor(private readonly options: IncidentRecorderOptions) {
    this.loops = new RestartLoops(options.restartLoop ?? DEFAULT_RESTART_LOOP);
    this.now = options.now ?? Date.now;
  }

  /** Follows every host's events, those of hosts added later too. */
  start(): void {
    this.stop ??= this.options.hosts.eachHost((host) =>
      host.state.onEngineEvent((event) => this.onEvent(host, event)),
    );
  }

  close(): Promise<void> {
    this.stop?.();
    this.stop = null;
    return this.writes;
  }

  /** Called with every incident once it is recorded; returns the unsubscribe function. */
  onIncident(listener: (incident: ContainerIncident) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether a container restarts in a loop now (restarted within the loop window). */
  inRestartLoop(hostId: string, containerId: string): boolean {
    return this.loops.inLoop(`${hostId}/${containerId}`, this.now());
  }

  /** A start that Berth validated and found failing (create, recreate, update). */
  recordPostStartFailure(hostId: string, containerId: string, validation: StartValidation): void {
    const container = this.options.hosts.get(hostId)?.state.container(containerId);
    this.record({
      hostId,
      containerId,
      containerName: container?.name ?? containerId.slice(0, 12),
      kind: 'post_start_failure',
      reason: validation.message,
      exitCode: validation.exitCode,
      health: validation.health,
      labels: container?.labels ?? {},
    });
  }

  /** Resolves once every incident seen so far is stored. */
  flushed(): Promise<void> {
    return this.writes;
  }

  private onEvent(host: EngineHost, event: RawEvent): void {
    if (event.Type !== 'container') return;
    const id = event.Actor.ID;
    const attributes = event.Actor.Attributes ?? {};
    const at = Math.floor(event.timeNano / 1e6);
    const key = `${host.id}/${id}`;
    const base = {
      hostId: host.id,
      containerId: id,
      containerName: attributes.name ?? id.slice(0, 12),
      labels: host.state.container(id)?.labels ?? labelsOf(attributes),
      exitCode: null,
      health: null,
      at,
    };
    const action = event.Action;
    if (action.startsWith('health_status:')) {
      const status = action.slice('health_status:'.length).trim();
      if (this.health.get(key) === status) return;
      this.health.set(key, status);
      this.record({ ...base, kind: 'health', health: status, reason: `Health: ${status}` });
    } else if (action === 'die') {
      const code = Number(attributes.exitCode ?? NaN);
      const exitCode = Number.isInteger(code) ? code : null;
      this.loops.died(key, at);
      this.health.delete(key);
      this.record({
        ...base,
        kind: 'exit',
        exitCode,
        reason: exitCode === null ? 'Exited' : `Exited with code ${exitCode}`,
      });
    } else if (action === 'oom') {
      this.record({ ...base, kind: 'oom', reason: 'Killed: out of memory' });
    } else if (action === 'start') {
      const { loopBegins, restarts } = this.loops.started(key, at);
      this.record({ ...base, kind: 'start', reason: restarts > 0 ? 'Restarted' : 'Started' });
      if (loopBegins) {
        const minutes = (this.options.restartLoop ?? DEFAULT_RESTART_LOOP).windowMs / 60_000;
        this.record({
          ...base,
          kind: 'restart_loop',
          reason: `Restart loop: ${restarts} restarts within ${formatMinutes(minutes)}`,
        });
      }
    } else if (action === 'destroy') {
      this.loops.forget(key);
      this.health.delete(key);
    }
  }

  private record(
    fields: Omit<ContainerIncident, 'id' | 'at'> & { kind: IncidentKind; at?: number },
  ): void {
    const incident: ContainerIncident = {
      ...fields,
      id: randomUUID(),
      at: new Date(fields.at ?? this.now()).toISOString(),
    };
    // In order, one at a time: the history reads as it happened.
    this.writes = this.writes
      .then(() => this.options.repository.insert(incident))
      .then(() => this.afterWrite())
      .catch((err: unknown) =>
        this.options.logger.error({ err: errorMessage(err) }, 'incident not recorded'),
      );
    for (const listener of this.listeners) {
      try {
        listener(incident);
      } catch (err) {
        this.options.logger.error({ err: errorMessage(err) }, 'incident listener failed');
      }
    }
  }

  private async afterWrite(): Promise<void> {
    this.sincePrune += 1;
    if (this.sincePrune < PRUNE_EVERY) return;
    this.sincePrune = 0;
    const before = new Date(this.now() - (this.options.retentionMs ?? 30 * 86_400_000));
    await this.options.repository.prune(before.toISOString(), this.options.maxPerHost ?? 20_000);
  }
}

function labelsOf(attributes: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([k]) => !NOT_LABELS.has(k)));
}

function formatMinutes(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
