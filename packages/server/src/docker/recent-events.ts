import type { RawEvent } from './engine-types.js';

export interface RecentEvent {
  time: string;
  type: string;
  action: string;
  id: string;
  name: string | null;
  /** The exec an exec_* event is about. */
  execId: string | null;
}

/** The last engine events seen, for the events history (bounded, newest last). */
export class RecentEvents {
  private readonly events: RecentEvent[] = [];

  constructor(private readonly capacity = 500) {}

  add(event: RawEvent): void {
    this.events.push({
      time: new Date(Math.floor(event.timeNano / 1e6)).toISOString(),
      type: event.Type,
      action: event.Action,
      id: event.Actor.ID,
      name: event.Actor.Attributes?.name ?? null,
      execId: event.Actor.Attributes?.execID ?? null,
    });
    if (this.events.length > this.capacity) {
      this.events.splice(0, this.events.length - this.capacity);
    }
  }

  /** The last `limit` (all when not given), newest first. */
  latest(limit = this.capacity): RecentEvent[] {
    return this.events.slice(-limit).reverse();
  }
}
