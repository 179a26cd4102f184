import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ContainerList } from '@berth/contract';
import { EngineFixtures } from '../../../server/src/testing/test-engine.js';
import { CliWorld } from './cli-harness.js';

const world = new CliWorld();
const engine = new EngineFixtures();
let name = '';

beforeAll(async () => {
  await world.start();
  await engine.createContainer('get', ['sleep', '300']);
  name = engine.name('get');
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

describe('berth get containers', () => {
  it('lists a container as a table, and -o yaml parses back to the contract', async () => {
    const table = await world.run(['get', 'containers'], { env: world.env() });
    expect(table.err).toBe('');
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(/^NAME\s+STATE\s+IMAGE/);
    expect(table.out).toMatch(new RegExp(`${name}\\s+created`));

    const yaml = await world.run(['get', 'containers', name, '-o', 'yaml'], { env: world.env() });
    expect(yaml.code).toBe(0);
    const list = ContainerList.parse(parse(yaml.out));
    expect(list.containers.map((c) => c.name)).toEqual([name]);
  });

  it('says what is wrong in one line: a bad -o is usage (2), no server is failure (1)', async () => {
    const bad = await world.run(['get', 'containers', '-o', 'xml'], { env: world.env() });
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('-o must be one of') });
    const none = await world.run(['get', 'containers']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('berth login');
  });
});
