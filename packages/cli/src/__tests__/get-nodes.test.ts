import { NodeList } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  startSwarmEngine,
  type SwarmEngine,
  SWARM_SETUP_TIMEOUT,
} from '../../../server/src/testing/swarm-engine.js';
import { CliWorld } from './cli-harness.js';

/** `berth get nodes` against a Berth whose engine is a one-node swarm of this file's own. */
const world = new CliWorld();
let swarm: SwarmEngine;

beforeAll(async () => {
  swarm = await startSwarmEngine();
  await world.start({ DOCKER_HOST: swarm.engine.host });
}, SWARM_SETUP_TIMEOUT);
afterAll(async () => {
  await world.stop();
  await swarm?.stop();
});

const get = (args: string[]) => world.run(['get', ...args], { env: world.env() });

describe('berth get nodes', () => {
  it('lists the nodes as docker node ls does, and -o yaml parses back to the contract', async () => {
    const table = await get(['nodes']);
    expect(table.err).toBe('');
    expect(table.code).toBe(0);
    const [head, row] = table.out.split('\n');
    expect(head).toMatch(
      /^ID\s+HOSTNAME\s+STATUS\s+AVAILABILITY\s+MANAGER STATUS\s+ENGINE VERSION$/,
    );
    expect(row?.split(/\s{3,}/)).toEqual([
      `${swarm.nodeId} *`,
      expect.any(String) as unknown,
      'Ready',
      'Active',
      'Leader',
      expect.stringMatching(/^\d+\./) as unknown,
    ]);
    const yaml = await get(['node', '-o', 'yaml']);
    expect(NodeList.parse(parse(yaml.out)).nodes[0]?.id).toBe(swarm.nodeId);
    const wide = await get(['nodes', '-o', 'wide']);
    expect(wide.out.split('\n')[0]).toMatch(/\sADDR\s+TASKS\s+LABELS\s+AGE$/);
    const hostname = NodeList.parse(parse(yaml.out)).nodes[0]?.hostname;
    expect((await get(['nodes', swarm.nodeId.slice(0, 6), '-o', 'name'])).out).toBe(
      `node/${hostname}\n`,
    );
  });
});
