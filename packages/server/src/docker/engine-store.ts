import type { ResourceKind, StateChange } from '@berth/contract';
import type { Logger } from 'pino';
import { errorMessage } from '../core/errors.js';
import type { RawImageSummary, RawNetwork, RawVolume } from './engine-types.js';
import {
  withStatus,
  type ContainerEntry,
  type ContainerFacts,
  type EngineContainer,
} from './container-summary.js';

export type ChangeListener = (change: StateChange) => void;

/** How many removed containers' names are kept. */
const REMOVED_NAMES_KEPT = 1000;

/**
 * What one engine holds (containers, images, networks, volumes), in memory, and the change feed
 * that announces each difference to viewers. EngineState keeps it current from the engine.
 */
export class EngineStore {
  protected readonly containerMap = new Map<string, ContainerEntry>();
  /** Names of removed containers by id, newest last, bounded: old URLs still say who they were. */
  private readonly removedNames = new Map<string, string>();
  /** The first name of each container renamed since (a recreate renames the one it replaces). */
  private readonly firstNames = new Map<string, string>();
  protected readonly imageMap = new Map<string, RawImageSummary>();
  protected readonly networkMap = new Map<string, RawNetwork>();
  protected readonly volumeMap = new Map<string, RawVolume>();
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    readonly hostId: string,
    protected readonly log: Logger,
  ) {}

  /** Status texts are derived now, from the state's timestamps ("Up 51 seconds"). */
  containers(): EngineContainer[] {
    const now = Date.now();
    return Array.from(this.containerMap.values(), (entry) => withStatus(entry, now));
  }

  /** What is known of each container without its status text: cheaper, for counting. */
  containerFacts(): ContainerFacts[] {
    return Array.from(this.containerMap.values(), (entry) => entry.facts);
  }

  container(id: string): EngineContainer | undefined {
    const entry = this.containerMap.get(id);
    return entry && withStatus(entry, Date.now());
  }

  /** A container's restart policy ("no", "always", …); null until its inspect is in. */
  restartPolicy(id: string): string | null {
    return this.containerMap.get(id)?.restartPolicy ?? null;
  }

  /** The name a removed container had, by its id or a unique id prefix (since this process started). */
  removedName(ref: string): { id: string; name: string } | undefined {
    if (!/^[0-9a-f]{1,64}$/.test(ref)) return undefined;
    const matches = Array.from(this.removedNames).filter(([id]) => id.startsWith(ref));
    const [only] = matches;
    return matches.length === 1 && only ? { id: only[0], name: only[1] } : undefined;
  }

  images(): RawImageSummary[] {
    return Array.from(this.imageMap.values());
  }

  networks(): RawNetwork[] {
    return Array.from(this.networkMap.values());
  }

  volumes(): RawVolume[] {
    return Array.from(this.volumeMap.values());
  }

  counts(): {
    containers: number;
    running: number;
    images: number;
    networks: number;
    volumes: number;
  } {
    let running = 0;
    for (const container of this.containerMap.values())
      if (container.facts.state === 'running') running += 1;
    return {
      containers: this.containerMap.size,
      running,
      images: this.imageMap.size,
      networks: this.networkMap.size,
      volumes: this.volumeMap.size,
    };
  }

  /** Subscribes to the change feed; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Tells every viewer a container changed in what Berth keeps beside the engine (its
   * environment tag): no engine event comes for that, yet lists must show it.
   */
  announce(kind: 'container', id: string): void {
    if (this.containerMap.has(id)) this.emit(kind, 'upsert', id);
  }

  /** Sets or removes one object, announcing it when what viewers see of it (`view`) changed. */
  protected put<T>(
    kind: ResourceKind,
    map: Map<string, T>,
    id: string,
    value: T | undefined,
    view: (item: T) => unknown = (item) => item,
  ): void {
    const previous = map.get(id);
    if (value === undefined) {
      if (previous === undefined) return;
      if (kind === 'container') this.rememberRemoved(id, previous as ContainerEntry);
      map.delete(id);
      this.emit(kind, 'remove', id);
      return;
    }
    if (kind === 'container' && previous !== undefined) {
      const before = (previous as ContainerEntry).facts.name;
      if (before !== (value as ContainerEntry).facts.name && !this.firstNames.has(id))
        this.firstNames.set(id, before);
    }
    map.set(id, value);
    if (previous === undefined || JSON.stringify(view(previous)) !== JSON.stringify(view(value))) {
      this.emit(kind, 'upsert', id);
    }
  }

  /** Replaces a whole collection with a fresh listing, announcing each difference. */
  protected replace<T>(
    kind: ResourceKind,
    map: Map<string, T>,
    items: T[],
    keyOf: (item: T) => string,
    view?: (item: T) => unknown,
  ): void {
    const seen = new Set<string>();
    for (const item of items) {
      const id = keyOf(item);
      seen.add(id);
      this.put(kind, map, id, item, view);
    }
    for (const id of Array.from(map.keys())) {
      if (!seen.has(id)) this.put(kind, map, id, undefined, view);
    }
  }

  private rememberRemoved(id: string, entry: ContainerEntry): void {
    this.removedNames.delete(id);
    this.removedNames.set(id, this.firstNames.get(id) ?? entry.facts.name);
    this.firstNames.delete(id);
    const [oldest] = this.removedNames.keys();
    if (this.removedNames.size > REMOVED_NAMES_KEPT && oldest !== undefined)
      this.removedNames.delete(oldest);
  }

  protected emit(kind: ResourceKind, action: StateChange['action'], id: string): void {
    const change: StateChange = {
      host: this.hostId,
      kind,
      action,
      id,
      at: new Date().toISOString(),
    };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.log.error({ err: errorMessage(err) }, 'state change listener failed');
      }
    }
  }
}

/** A container's timestamps are seen only through its status text. */
export function containerView(entry: ContainerEntry): EngineContainer {
  return withStatus(entry, Date.now());
}
