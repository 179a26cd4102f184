import type { Logger } from 'pino';
import { EngineClient } from './engine-client.js';
import { describeEndpoint, type EngineEndpoint } from './engine-endpoint.js';
import { EngineState } from './engine-state.js';
import { ProgressFeed } from './progress-feed.js';

export interface HostDefinition {
  id: string;
  name: string;
  endpoint: EngineEndpoint;
}

/** One engine host: its client and its live state. */
export interface EngineHost {
  id: string;
  name: string;
  endpoint: EngineEndpoint;
  endpointLabel: string;
  /**
   * The unix socket on this machine the engine is reached through; null for an engine reached
   * over the network (TCP now; SSH and agent hosts later).
   */
  socketPath: string | null;
  client: EngineClient;
  state: EngineState;
  progress: ProgressFeed;
}

/** Every engine Berth manages, one client and one EngineState each. */
export class EngineHosts {
  private readonly hosts = new Map<string, EngineHost>();

  constructor(
    definitions: HostDefinition[],
    logger: Logger,
    stateOptions: { retryMinMs?: number; retryMaxMs?: number } = {},
  ) {
    for (const definition of definitions) {
      const client = new EngineClient(definition.endpoint);
      this.hosts.set(definition.id, {
        ...definition,
        endpointLabel: describeEndpoint(definition.endpoint),
        socketPath:
          definition.endpoint.transport === 'unix' ? definition.endpoint.socketPath : null,
        client,
        state: new EngineState({ hostId: definition.id, client, logger, ...stateOptions }),
        progress: new ProgressFeed(),
      });
    }
  }

  get(id: string): EngineHost | undefined {
    return this.hosts.get(id);
  }

  list(): EngineHost[] {
    return Array.from(this.hosts.values());
  }

  start(): void {
    for (const host of this.hosts.values()) host.state.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.list().map((host) => host.state.stop()));
    for (const host of this.hosts.values()) host.client.close();
  }
}
