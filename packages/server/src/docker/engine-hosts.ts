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
  /** The engine runs on the machine Berth runs on (its board model is readable here). */
  local: boolean;
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
        local: definition.endpoint.transport === 'unix',
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
