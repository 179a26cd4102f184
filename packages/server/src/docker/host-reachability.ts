import type { Staleness } from '@berth/contract';
import type { Logger } from 'pino';
import { errorMessage } from '../core/errors.js';

export interface HostStatus {
  reachable: boolean;
  /** When `reachable` last changed. */
  since: Date;
  error: string | null;
  version: string | null;
  apiVersion: string | null;
  /** Round trip of the last ping that answered (the reconnect path's own ping). */
  latencyMs: number | null;
  /** When the engine last reported an event. */
  lastEventAt: Date | null;
  /** How long the last event took from the engine's clock to Berth (ms; clocks may differ). */
  eventLagMs: number | null;
}

type ReachabilityListener = (reachable: boolean) => void;

/**
 * Whether one engine is reached, since when, and when it last was: while it cannot be, what
 * Berth holds of it is the last known state, as of that moment.
 */
export class HostReachability {
  private current: HostStatus = {
    reachable: false,
    since: new Date(),
    error: 'not connected yet',
    version: null,
    apiVersion: null,
    latencyMs: null,
    lastEventAt: null,
    eventLagMs: null,
  };
  private lastReached: Date | null = null;
  private readonly listeners = new Set<ReachabilityListener>();

  constructor(private readonly log: Logger) {}

  get status(): HostStatus {
    return { ...this.current };
  }

  /** Null while the engine is reached; else the last known state's age and the reason. */
  staleness(): Staleness | null {
    if (this.current.reachable) return null;
    return {
      since: this.lastReached?.toISOString() ?? null,
      reason: this.current.error ?? 'the engine cannot be reached',
    };
  }

  onChange(listener: ReachabilityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The engine was in touch until now (its event stream just ended, say). */
  noteContact(): void {
    if (this.current.reachable) this.lastReached = new Date();
  }

  notePing(latencyMs: number): void {
    this.current.latencyMs = latencyMs;
  }

  /** An event arrived `at`, stamped by the engine at `engineTimeNano` (when it says). */
  noteEvent(at: Date, engineTimeNano?: number): void {
    this.current.lastEventAt = at;
    if (engineTimeNano) this.current.eventLagMs = at.getTime() - engineTimeNano / 1e6;
  }

  markReachable(version: string, apiVersion: string): void {
    const was = this.current.reachable;
    this.current = {
      ...this.current,
      reachable: true,
      since: was ? this.current.since : new Date(),
      error: null,
      version,
      apiVersion,
    };
    this.lastReached = new Date();
    if (!was) this.announce(true);
  }

  markUnreachable(error: string): void {
    const was = this.current.reachable;
    if (was || this.current.error !== error) this.log.warn({ error }, 'engine unreachable');
    this.current = {
      ...this.current,
      reachable: false,
      since: was ? new Date() : this.current.since,
      error,
    };
    if (was) this.announce(false);
  }

  private announce(reachable: boolean): void {
    for (const listener of this.listeners) {
      try {
        listener(reachable);
      } catch (err) {
        this.log.error({ err: errorMessage(err) }, 'reachability listener failed');
      }
    }
  }
}
