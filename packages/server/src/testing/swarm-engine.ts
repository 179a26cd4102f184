import {
  startIsolatedEngine,
  type IsolatedEngine,
} from '../../../../scripts/lib/isolated-engine.mjs';
import { buildTestImages } from '../../../../scripts/lib/test-images.mjs';
import { EngineClient } from '../docker/engine-client.js';
import type { EngineEndpoint } from '../docker/engine-endpoint.js';
import type { RawNode, RawSwarm } from '../docker/swarm-types.js';
import { freePort } from './free-port.js';
import { SwarmLab } from './swarm-lab.js';
import { holdSwarmLock } from './swarm-lock.js';
import { waitFor } from './wait-for.js';

/** A node added to a test swarm: a dockerd in a network namespace of its own. */
export interface SwarmNodeEngine {
  engine: IsolatedEngine;
  endpoint: EngineEndpoint;
  client: EngineClient;
  netns: string;
  /** The node's address on the swarm's network. */
  addr: string;
  nodeId: string;
}

/**
 * Nothing can be pulled here: without this a swarm task first tries the registry for its
 * image (and may hang on it) before it uses the local one.
 */
const OFFLINE = { DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: '1' };

/**
 * A swarm file's beforeAll timeout: it may wait its turn for the swarm lock while another
 * file's swarm runs (minutes), then start its engines.
 */
export const SWARM_SETUP_TIMEOUT = 15 * 60_000;

/** An isolated engine of a test file's own, made the single manager of a new swarm. */
export interface SwarmEngine {
  engine: IsolatedEngine;
  endpoint: EngineEndpoint;
  /** The raw Engine API of the manager (fixtures and checks, not through Berth). */
  client: EngineClient;
  /** host:port the swarm's managers listen on (what a worker joins). */
  managerAddr: string;
  nodeId: string;
  /**
   * Starts another dockerd in a new network namespace and joins it (a worker unless told):
   * resolves once the manager lists it ready. With `join: false` it is left out of the swarm
   * (`nodeId` empty), for a test to join it its own way. Only with `startSwarmEngine({ multiNode: true })`.
   */
  addNode(role?: 'worker' | 'manager', options?: { join?: boolean }): Promise<SwarmNodeEngine>;
  /** Leaves the swarm by force and removes the engines, namespaces and everything they had. */
  stop(): Promise<void>;
}

export interface SwarmEngineOptions {
  /**
   * Put the manager on a private network of namespaces, so that nodes can be added. Fails
   * with the reason where the machine cannot make network namespaces.
   */
  multiNode?: boolean;
}

/**
 * Starts a dockerd of the test's own with the local test images and runs `docker swarm init
 * --advertise-addr 127.0.0.1` on it (a free port of its own). Test swarms take turns (see
 * holdSwarmLock): two managers in one network namespace break each other's networking. Swarm
 * tests never put the shared test engine in swarm mode: its networks and info would change for
 * every other suite. With `multiNode` it advertises its address on a bridge of the test's own
 * instead, which the added nodes' namespaces reach.
 */
export async function startSwarmEngine(options: SwarmEngineOptions = {}): Promise<SwarmEngine> {
  // Held from here until the engines are gone: one test swarm on the machine at a time.
  const release = await holdSwarmLock();
  let lab: SwarmLab | null = null;
  const nodes: SwarmNodeEngine[] = [];
  let engine: IsolatedEngine | null = null;
  const teardown = async () => {
    try {
      for (const node of nodes.splice(0).reverse()) await node.engine.stop();
      await engine?.stop();
      await lab?.remove();
    } finally {
      await release();
    }
  };
  try {
    lab = options.multiNode ? await SwarmLab.create() : null;
    engine = await startIsolatedEngine({ quiet: true, env: OFFLINE });
    await buildTestImages(engine.socketPath);
    const endpoint: EngineEndpoint = { transport: 'unix', socketPath: engine.socketPath };
    const client = new EngineClient(endpoint);
    const managerAddr = `${lab?.hostAddr ?? '127.0.0.1'}:${await freePort()}`;
    const nodeId = await client.request<string>('POST', '/swarm/init', {
      body: {
        ListenAddr: managerAddr,
        AdvertiseAddr: managerAddr,
        // A data path port of its own: another test swarm on this machine may use 4789.
        ...(lab ? { DataPathPort: await freePort() } : {}),
      },
    });
    const addNode = async (
      role: 'worker' | 'manager' = 'worker',
      { join = true }: { join?: boolean } = {},
    ): Promise<SwarmNodeEngine> => {
      if (!lab) throw new Error('addNode needs startSwarmEngine({ multiNode: true })');
      const machine = await lab.addMachine();
      const nodeEngine = await startIsolatedEngine({
        quiet: true,
        netns: machine.netns,
        env: OFFLINE,
      });
      const nodeEndpoint: EngineEndpoint = { transport: 'unix', socketPath: nodeEngine.socketPath };
      const nodeClient = new EngineClient(nodeEndpoint);
      const node: SwarmNodeEngine = {
        engine: nodeEngine,
        endpoint: nodeEndpoint,
        client: nodeClient,
        netns: machine.netns,
        addr: machine.addr,
        nodeId: '',
      };
      nodes.push(node);
      await buildTestImages(nodeEngine.socketPath);
      if (!join) return node;
      const swarm = await client.request<RawSwarm>('GET', '/swarm');
      await nodeClient.request('POST', '/swarm/join', {
        body: {
          ListenAddr: `${machine.addr}:2377`,
          AdvertiseAddr: machine.addr,
          RemoteAddrs: [managerAddr],
          JoinToken: role === 'manager' ? swarm.JoinTokens.Manager : swarm.JoinTokens.Worker,
        },
        timeoutMs: 90_000,
      });
      const info = await nodeClient.request<{ Swarm: { NodeID: string } }>('GET', '/info');
      node.nodeId = info.Swarm.NodeID;
      await waitFor(
        `node ${machine.addr} ready on the manager`,
        async () => {
          const listed = await client.request<RawNode[]>('GET', '/nodes');
          return listed.some((n) => n.ID === node.nodeId && n.Status.State === 'ready');
        },
        60_000,
        200,
      );
      return node;
    };
    return {
      engine,
      endpoint,
      client,
      managerAddr,
      nodeId,
      addNode,
      stop: async () => {
        try {
          for (const node of nodes)
            await node.client
              .request('POST', '/swarm/leave', { query: { force: true } })
              .catch(() => undefined);
          await client.request('POST', '/swarm/leave', { query: { force: true } });
        } finally {
          await teardown();
        }
      },
    };
  } catch (err) {
    await teardown();
    throw err;
  }
}
