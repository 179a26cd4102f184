import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwarmEngine, type SwarmEngine, SWARM_SETUP_TIMEOUT } from '../swarm-engine.js';
import { holdSwarmLock } from '../swarm-lock.js';

interface SwarmInfo {
  Swarm: { LocalNodeState: string; ControlAvailable: boolean; NodeID: string; Managers: number };
}

describe('startSwarmEngine', () => {
  let swarm: SwarmEngine;
  beforeAll(async () => {
    swarm = await startSwarmEngine();
  }, SWARM_SETUP_TIMEOUT);
  afterAll(() => swarm.stop());

  it('gives a test an engine of its own that manages a one-node swarm', async () => {
    const info = await swarm.client.request<SwarmInfo>('GET', '/info');
    expect(info.Swarm).toMatchObject({
      LocalNodeState: 'active',
      ControlAvailable: true,
      NodeID: swarm.nodeId,
      Managers: 1,
    });
  });
});

describe('holdSwarmLock', () => {
  it(
    'gives the lock to one holder at a time, the next as soon as it is let go',
    async () => {
      const order: string[] = [];
      const first = await holdSwarmLock();
      const second = holdSwarmLock().then((release) => {
        order.push('second holds');
        return release;
      });
      // The second waits while the first holds it: a turn of I/O later it still has not got it.
      await new Promise((resolve) => setImmediate(resolve));
      order.push('first lets go');
      await first();
      await (
        await second
      )();
      expect(order).toEqual(['first lets go', 'second holds']);
      // The first may wait its turn behind another file's swarm.
    },
    SWARM_SETUP_TIMEOUT,
  );
});
