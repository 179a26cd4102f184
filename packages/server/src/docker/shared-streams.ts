/** A running upstream (one engine stream); stop() ends it. */
export interface Upstream {
  stop(): void;
}

export interface StreamSubscriber<T> {
  message(value: T): void;
  /** The upstream ended by itself (the container stopped, the engine went away). */
  end(reason: string): void;
}

type Starter<T> = (emit: (value: T) => void, end: (reason: string) => void) => Upstream;

interface Entry<T> {
  subscribers: Set<StreamSubscriber<T>>;
  upstream: Upstream | null;
}

/**
 * One upstream engine stream per key (a container's logs, its stats), fanned out to every
 * subscriber, started with the first and stopped when the last one leaves.
 */
export class SharedStreams<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Upstreams started since creation (tests and benchmarks read it). */
  started = 0;

  subscribe(key: string, start: Starter<T>, subscriber: StreamSubscriber<T>): () => void {
    let entry = this.entries.get(key);
    if (!entry) {
      const fresh: Entry<T> = { subscribers: new Set(), upstream: null };
      this.entries.set(key, fresh);
      entry = fresh;
      this.started += 1;
      fresh.upstream = start(
        (value) => {
          for (const s of fresh.subscribers) s.message(value);
        },
        (reason) => {
          if (this.entries.get(key) === fresh) this.entries.delete(key);
          for (const s of fresh.subscribers) s.end(reason);
          fresh.subscribers.clear();
        },
      );
    }
    const current = entry;
    current.subscribers.add(subscriber);
    return () => {
      if (!current.subscribers.delete(subscriber) || current.subscribers.size > 0) return;
      if (this.entries.get(key) === current) this.entries.delete(key);
      current.upstream?.stop();
    };
  }

  /** Upstreams running now, in all or for one key. */
  active(key?: string): number {
    if (key !== undefined) return this.entries.has(key) ? 1 : 0;
    return this.entries.size;
  }

  /** Upstreams and subscribers across all keys. */
  totals(): { upstreams: number; viewers: number; started: number } {
    let viewers = 0;
    for (const entry of this.entries.values()) viewers += entry.subscribers.size;
    return { upstreams: this.entries.size, viewers, started: this.started };
  }

  subscribers(key: string): number {
    return this.entries.get(key)?.subscribers.size ?? 0;
  }

  stopAll(): void {
    for (const entry of this.entries.values()) {
      entry.upstream?.stop();
      for (const s of entry.subscribers) s.end('server shutting down');
    }
    this.entries.clear();
  }
}
