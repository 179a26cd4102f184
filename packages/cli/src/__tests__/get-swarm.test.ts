import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../../e2e/berth-process.js';
import {
  startSwarmEngine,
  type SwarmEngine,
  SWARM_SETUP_TIMEOUT,
} from '../../../server/src/testing/swarm-engine.js';
import { TEST_IMAGE } from '../../../server/src/testing/test-engine.js';
import { waitFor } from '../../../server/src/testing/wait-for.js';
import { CliWorld } from './cli-harness.js';

/** `berth get services` and `berth get tasks` against a Berth on a one-node swarm of its own. */
const world = new CliWorld();
let swarm: SwarmEngine;
const get = (args: string[]) => world.run(['get', ...args], { env: world.env() });

beforeAll(async () => {
  swarm = await startSwarmEngine();
  await world.start({ DOCKER_HOST: swarm.engine.host });
  const made = await call(
    world.base,
    'POST',
    '/api/hosts/local/services',
    {
      name: 'cli-web',
      image: TEST_IMAGE,
      replicas: 2,
      command: ['sleep', '3600'],
      ports: [{ target: 80, published: 18081 }],
    },
    world.adminCookie,
  );
  if (made.status !== 201) throw new Error(`service: ${made.status} ${made.body}`);
}, SWARM_SETUP_TIMEOUT);
afterAll(async () => {
  await world.stop();
  await swarm.stop();
});

describe('berth get services and tasks', () => {
  it('lists services with running/desired replicas, and their tasks per node', async () => {
    const out = await waitFor(
      'both tasks running in the list',
      async () => {
        const res = await get(['services']);
        if (!res.out.includes('2/2')) throw new Error(`${res.out}${res.err}`);
        return res;
      },
      60_000,
      250,
    );
    expect(out.code).toBe(0);
    const [header, row] = out.out.trim().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual([
      'NAME',
      'MODE',
      'REPLICAS',
      'IMAGE',
      'PORTS',
      'UPDATE',
    ]);
    expect(row?.split(/\s{2,}/)).toEqual([
      'cli-web',
      'replicated',
      '2/2',
      TEST_IMAGE,
      '18081:80/tcp',
      '-',
    ]);
    const named = await get(['svc', 'cli-web', '-o', 'name']);
    expect(named.out.trim()).toBe('service/cli-web');

    const tasks = await get(['tasks']);
    expect(tasks.code).toBe(0);
    const rows = tasks.out.trim().split('\n').slice(1);
    expect(rows).toHaveLength(2);
    for (const line of rows) {
      const cells = line.split(/\s{2,}/);
      expect(cells[0]).toMatch(/^cli-web\.[12]$/);
      expect(cells[2]).toBe('running');
      expect(cells[3]).toMatch(/^running /);
    }
    const json = await get(['tasks', '-o', 'json']);
    const parsed = JSON.parse(json.out) as { tasks: { nodeId: string }[] };
    expect(parsed.tasks.every((t) => t.nodeId === swarm.nodeId)).toBe(true);
  }, 120_000);
});
