import type { EventsMessage } from '@berth/contract';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { requireHost } from '../hosts/require-host.js';

/** Progress that is not the engine's own (stack operations), per host. */
export interface HostProgressSource {
  on(hostId: string, listener: (message: EventsMessage) => void): () => void;
}

/**
 * A host's live feed for the events stream: its state changes, the progress of long operations
 * and its reachability — all served from the host's engine state, no engine stream per viewer.
 */
export class EventsService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly extra: HostProgressSource[] = [],
  ) {}

  /** Sends `hello` at once, then every message until the returned function is called. */
  follow(hostId: string, send: (message: EventsMessage) => void): () => void {
    const host = requireHost(this.hosts, hostId);
    send({ type: 'hello', host: host.id, reachable: host.state.status.reachable });
    const stops = [
      host.state.onChange((change) => send({ type: 'change', change })),
      host.progress.on((progress) => send({ type: 'progress', ...progress })),
      host.state.onReachability((reachable) =>
        send({ type: 'reachability', host: host.id, reachable }),
      ),
      ...this.extra.map((source) => source.on(host.id, send)),
    ];
    return () => {
      for (const stop of stops) stop();
    };
  }
}
