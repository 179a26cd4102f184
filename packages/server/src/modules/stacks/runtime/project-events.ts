import type { IncomingMessage } from 'node:http';
import type { EngineClient } from '../../../docker/engine-client.js';
import { filtersParam } from '../../../docker/engine-client.js';
import type { RawEvent } from '../../../docker/engine-types.js';
import { readNdjson } from '../../../docker/ndjson.js';
import { COMPOSE_PROJECT } from '../compose-labels.js';

/**
 * The engine's container events of one project, for as long as an operation runs: opened
 * before the first container is touched, so a `health_status` or `die` that comes while a
 * waiter looks at the container's state is still seen. Waiters take a mark, inspect, and then
 * wait for the next event after their mark: no polling, no missed event.
 */
export class ProjectEvents {
  private readonly events: RawEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private ended = false;

  private constructor(private readonly stream: IncomingMessage) {
    void this.read();
  }

  static async open(client: EngineClient, project: string): Promise<ProjectEvents> {
    const stream = await client.stream('GET', '/events', {
      query: {
        filters: filtersParam({ type: ['container'], label: [`${COMPOSE_PROJECT}=${project}`] }),
      },
    });
    return new ProjectEvents(stream);
  }

  private async read(): Promise<void> {
    try {
      for await (const event of readNdjson<RawEvent>(this.stream)) {
        this.events.push(event);
        this.wake();
      }
    } catch {
      // The stream broke or was closed: waiters are woken below and look at the state again.
    }
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Where the events seen so far end. */
  mark(): number {
    return this.events.length;
  }

  /** The first event of container `id` at or after `mark`; null when the stream ended. */
  next(id: string, mark: number): Promise<RawEvent | null> {
    return new Promise((resolve) => {
      const look = (): boolean => {
        const found = this.events.slice(mark).find((e) => e.Actor.ID === id);
        if (found) resolve(found);
        else if (this.ended) resolve(null);
        else return false;
        this.waiters.delete(check);
        return true;
      };
      const check = (): void => void look();
      this.waiters.add(check);
      look();
    });
  }

  close(): void {
    this.stream.destroy();
  }
}
