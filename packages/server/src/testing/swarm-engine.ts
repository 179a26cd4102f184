import {
  startIsolatedEngine,
  type IsolatedEngine,
} from '../../../../scripts/lib/isolated-engine.mjs';
import { buildTestImages } from '../../../../scripts/lib/test-images.mjs';
import { EngineClient } from '../docker/engine-client.js';
import type { EngineEndpoint } from '../docker/engine-endpoint.js';
import { freePort } from './free-port.js';

/** An isolated engine of a test file's own, made the single manager of a new swarm. */
export interface SwarmEngine {
  engine: IsolatedEngine;
  endpoint: EngineEndpoint;
  /** The raw Engine API of the manager (fixtures and checks, not through Berth). */
  client: EngineClient;
  /** host:port the swarm's managers listen on (what a worker joins). */
  managerAddr: string;
  nodeId: string;
  /** Leaves the swarm by force and removes the engine and everything it had. */
  stop(): Promise<void>;
}

/**
 * Starts a dockerd of the test's own with the local test images and runs `docker swarm init
 * --advertise-addr 127.0.0.1` on it (a free port of its own, so files run side by side). Swarm
 * tests never put the shared test engine in swarm mode: its networks and info would change for
 * every other suite.
 */
export async function startSwarmEngine(): Promise<SwarmEngine> {
  const engine = await startIsolatedEngine({ quiet: true });
  try {
    await buildTestImages(engine.socketPath);
    const endpoint: EngineEndpoint = { transport: 'unix', socketPath: engine.socketPath };
    const client = new EngineClient(endpoint);
    const managerAddr = `127.0.0.1:${await freePort()}`;
    const nodeId = await client.request<string>('POST', '/swarm/init', {
      body: { ListenAddr: managerAddr, AdvertiseAddr: managerAddr },
    });
    return {
      engine,
      endpoint,
      client,
      managerAddr,
      nodeId,
      stop: async () => {
        try {
          await client.request('POST', '/swarm/leave', { query: { force: true } });
        } finally {
          await engine.stop();
        }
      },
    };
  } catch (err) {
    await engine.stop();
    throw err;
  }
}
