import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwarmEngine, type SwarmEngine } from '../swarm-engine.js';

interface SwarmInfo {
  Swarm: { LocalNodeState: string; ControlAvailable: boolean; NodeID: string; Managers: number };
}

describe('startSwarmEngine', () => {
  let swarm: SwarmEngine;
  beforeAll(async () => {
    swarm = await startSwarmEngine();
  }, 120_000);
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
