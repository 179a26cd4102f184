import type { Staleness } from '@berth/contract';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { errorMessage } from '../core/errors.js';
import type { EngineClient } from './engine-client.js';
import { EngineRequestError } from './engine-errors.js';
import type { RawContainerInspect, RawEvent } from './engine-types.js';
import { entryFromInspect, entryFromList, statusText } from './container-summary.js';
import { containerView, EngineStore } from './engine-store.js';
import { readNdjson } from './ndjson.js';
import { refreshKeysFor } from './event-keys.js';
import { RecentEvents, type RecentEvent } from './recent-events.js';
import { HostReachability, type HostStatus } from './host-reachability.js';
import { RefreshQueue } from './refresh-queue.js';

export type { RecentEvent } from './recent-events.js';
export type { HostStatus } from './host-reachability.js';

export interface EngineStateOptions {
  hostId: string;
  client: EngineClient;
  logger: Logger;
  /** Reconnect backoff bounds. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/**
 * What one engine holds (EngineStore), kept current from the engine's event stream. It
 * subscribes first and lists second, so no change falls between the two; each event refreshes
 * the object it names (coalesced per object); a broken stream is reopened with `since=` the
 * last event seen and followed by a full reconcile. Nothing polls while the stream is up.
 */
export class EngineState extends EngineStore {
  private readonly client: EngineClient;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  private readonly syncListeners = new Set<() => void>();
  private readonly eventListeners = new Set<(event: RawEvent) => void>();
  private readonly queue: RefreshQueue;

  private readonly reachability: HostReachability;
  private readonly recent = new RecentEvents();
  private lastEventTime: number | null = null;
  private readonly abort = new AbortController();
  private loop: Promise<void> | null = null;
  /** Ends the wait before the next reconnect attempt (retryNow). */
  private nap: AbortController | null = null;
  private wakeRequested = false;
  private syncedOnce = false;
  private syncWaiters: (() => void)[] = [];

  constructor(options: EngineStateOptions) {
    super(options.hostId, options.logger.child({ host: options.hostId }));
    this.client = options.client;
    this.retryMinMs = options.retryMinMs ?? 250;
    this.retryMaxMs = options.retryMaxMs ?? 5_000;
    this.reachability = new HostReachability(this.log);
    this.queue = new RefreshQueue(
      (key) => this.refresh(key),
      (key, err) =>
        this.log.debug({ key, err: errorMessage(err) }, 'refresh failed; the next sync repairs it'),
    );
  }

  // ---- reading ---------------------------------------------------------------------------

  get status(): HostStatus {
    return this.reachability.status;
  }

  /** Null while the engine is reached; else the marker lists served from this state carry. */
  staleness(): Staleness | null {
    return this.reachability.staleness();
  }

  /** Called with `false` when the engine goes unreachable and `true` when it is back. */
  onReachability(listener: (reachable: boolean) => void): () => void {
    return this.reachability.onChange(listener);
  }

  /**
   * Called after every complete sync: the first one and each one after a reconnect (an engine
   * that comes back). Returns the unsubscribe function.
   */
  onSynced(listener: () => void): () => void {
    this.syncListeners.add(listener);
    return () => this.syncListeners.delete(listener);
  }

  /**
   * Called with every engine event as it arrives (die with its exit code, oom, health_status,
   * …), before the objects it names are refreshed. Returns the unsubscribe function.
   */
  onEngineEvent(listener: (event: RawEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Resolves after the first complete sync (never rejects; an unreachable engine just waits). */
  whenSynced(): Promise<void> {
    if (this.syncedOnce) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /**
   * Brings one object up to date now, resolving when it is: what Berth itself just created or
   * removed shows in the very next list (read your writes), not only once its event arrives.
   * The event still comes and refreshes it again, which changes nothing.
   */
  async refreshNow(kind: 'container' | 'network' | 'volume', id: string): Promise<void> {
    this.queue.add(`${kind}:${id}`);
    await this.queue.idle();
  }

  /** Resolves once every event received so far has been applied. */
  settled(): Promise<void> {
    return this.queue.idle();
  }

  // ---- lifecycle -------------------------------------------------------------------------

  start(): void {
    this.loop ??= this.run();
  }

  /**
   * Tries to reconnect now rather than after the backoff: the transport says the engine can
   * be reached again (an agent connected).
   */
  retryNow(): void {
    if (this.nap) this.nap.abort();
    else this.wakeRequested = true;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.queue.clear();
    await this.loop;
  }

  private async run(): Promise<void> {
    let delay = this.retryMinMs;
    while (!this.abort.signal.aborted) {
      try {
        await this.connectAndFollow();
        delay = this.retryMinMs;
        if (!this.abort.signal.aborted) this.log.info('event stream ended; reconnecting');
      } catch (err) {
        if (this.abort.signal.aborted) break;
        await this.noteFailure(err);
        if (this.wakeRequested) {
          // The transport said "try again" while this attempt was failing: no wait.
          this.wakeRequested = false;
          delay = this.retryMinMs;
          continue;
        }
        const nap = new AbortController();
        this.nap = nap;
        await sleep(delay, AbortSignal.any([this.abort.signal, nap.signal]));
        this.nap = null;
        delay = nap.signal.aborted ? this.retryMinMs : Math.min(delay * 2, this.retryMaxMs);
      }
    }
  }

  /** One connection: subscribe, reconcile, then apply events until the stream ends. */
  private async connectAndFollow(): Promise<void> {
    const ping = await this.client.ping();
    // The engine answers again: calls go through while this connection syncs.
    this.client.closeBreaker();
    this.reachability.notePing(ping.latencyMs);
    const version = await this.client.version();
    const since = this.lastEventTime;
    const events = await this.client.stream('GET', '/events', {
      query: { since: since ?? undefined },
      signal: this.abort.signal,
    });
    this.queue.pause();
    const reading = this.consume(events);
    try {
      await this.resync();
    } catch (err) {
      events.destroy();
      await reading;
      throw err;
    } finally {
      this.queue.resume();
    }
    this.markReachable(version.Version, ping.apiVersion);
    this.log.info(
      { since },
      since === null ? 'engine state synced' : 'engine state resynced after reconnect',
    );
    for (const listener of this.syncListeners) {
      try {
        listener();
      } catch (err) {
        this.log.error({ err: errorMessage(err) }, 'sync listener failed');
      }
    }
    await reading;
  }

  private async consume(stream: Readable): Promise<void> {
    try {
      for await (const event of readNdjson<RawEvent>(stream)) this.onEvent(event);
    } catch (err) {
      if (!this.abort.signal.aborted)
        this.log.warn({ err: errorMessage(err) }, 'event stream broke');
    } finally {
      stream.destroy();
      // Current until the stream ended; a reconnect either resyncs or finds the engine gone.
      this.reachability.noteContact();
    }
  }

  private async noteFailure(err: unknown): Promise<void> {
    // A stream can break while the engine is fine; only a failed ping makes the host unreachable.
    try {
      this.reachability.notePing((await this.client.ping()).latencyMs);
      this.log.warn({ err: errorMessage(err) }, 'engine sync failed; retrying');
    } catch (pingErr) {
      this.reachability.markUnreachable(errorMessage(pingErr));
      const status = this.reachability.status;
      // While it stays unreachable, calls fail at once instead of each waiting for a timeout.
      if (!this.abort.signal.aborted)
        this.client.openBreaker(status.error ?? 'unreachable', status.since);
    }
  }

  private markReachable(version: string, apiVersion: string): void {
    this.reachability.markReachable(version, apiVersion);
    if (!this.syncedOnce) {
      this.syncedOnce = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  // ---- events and refreshes --------------------------------------------------------------

  /** The last `limit` engine events seen (all that are kept when not given), newest first. */
  recentEvents(limit?: number): RecentEvent[] {
    return this.recent.latest(limit);
  }

  private onEvent(event: RawEvent): void {
    this.lastEventTime = event.time;
    this.reachability.noteEvent(new Date(), event.timeNano);
    this.recent.add(event);
    for (const listener of this.eventListeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.error({ err: errorMessage(err) }, 'engine event listener failed');
      }
    }
    for (const key of refreshKeysFor(event)) this.queue.add(key);
  }

  private async refresh(key: string): Promise<void> {
    const separator = key.indexOf(':');
    const kind = separator < 0 ? key : key.slice(0, separator);
    const id = key.slice(separator + 1);
    switch (kind) {
      case 'container': {
        const inspect = await this.client
          .request<RawContainerInspect>('GET', `/containers/${encodeURIComponent(id)}/json`)
          .catch((err: unknown) => {
            if (err instanceof EngineRequestError && err.statusCode === 404) return undefined;
            throw err;
          });
        this.put(
          'container',
          this.containerMap,
          id,
          inspect && entryFromInspect(inspect),
          containerView,
        );
        break;
      }
      case 'network': {
        const found = await this.client.listNetworks({ id: [id] });
        this.put(
          'network',
          this.networkMap,
          id,
          found.find((n) => n.Id === id),
        );
        break;
      }
      case 'volume': {
        const volume = await this.client.inspectVolume(id).catch((err: unknown) => {
          if (err instanceof EngineRequestError && err.statusCode === 404) return undefined;
          throw err;
        });
        this.put('volume', this.volumeMap, id, volume);
        break;
      }
      case 'images':
        this.replace('image', this.imageMap, await this.client.listImages(), (i) => i.Id);
        break;
      default:
        this.log.error({ key }, 'unknown refresh key');
    }
  }

  private async resync(): Promise<void> {
    const [containers, images, networks, volumes] = await Promise.all([
      this.client.listContainers(),
      this.client.listImages(),
      this.client.listNetworks(),
      this.client.listVolumes(),
    ]);
    const listedAt = Date.now();
    const entries = containers.map((raw) => {
      const fresh = entryFromList(raw, listedAt);
      const held = this.containerMap.get(raw.Id);
      // Keep the exact timestamps still true of it; for the others an inspect follows.
      const stillTrue =
        held?.exact === true &&
        held.facts.state === fresh.facts.state &&
        statusText(held.facts, held.clock, listedAt) === raw.Status;
      if (!stillTrue) this.queue.add(`container:${raw.Id}`);
      return stillTrue
        ? { ...fresh, clock: held.clock, exact: true, restartPolicy: held.restartPolicy }
        : fresh;
    });
    this.replace('container', this.containerMap, entries, (c) => c.facts.id, containerView);
    this.replace('image', this.imageMap, images, (i) => i.Id);
    this.replace('network', this.networkMap, networks, (n) => n.Id);
    this.replace('volume', this.volumeMap, volumes, (v) => v.Name);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
