import type { StreamStackProgress } from '@berth/contract';

type Listener = (event: StreamStackProgress) => void;

/** Per-service progress of stack operations, per host, for the host's events stream. */
export class StackProgressFeed {
  private readonly listeners = new Map<string, Set<Listener>>();

  on(hostId: string, listener: Listener): () => void {
    let set = this.listeners.get(hostId);
    if (!set) {
      set = new Set();
      this.listeners.set(hostId, set);
    }
    const own = set;
    own.add(listener);
    return () => {
      own.delete(listener);
      if (own.size === 0 && this.listeners.get(hostId) === own) this.listeners.delete(hostId);
    };
  }

  emit(event: StreamStackProgress): void {
    for (const listener of this.listeners.get(event.host) ?? []) listener(event);
  }

  /** What a runtime call reports to: each event, with the host and stack it concerns. */
  reporter(hostId: string, stack: string): (event: StreamStackProgress) => void {
    return (event) => this.emit({ ...event, host: hostId, stack });
  }
}
