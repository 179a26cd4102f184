import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ContainerList } from '@berth/contract';
import { EngineFixtures } from '../../../server/src/testing/test-engine.js';
import { CliWorld, cliMain } from './cli-harness.js';

const world = new CliWorld();

/**
 * `berth ARGS | head -1` without the race: the reader of the CLI's stdout is gone before it
 * writes anything, so every write meets a closed pipe (EPIPE). Answers the exit code and stderr.
 */
async function withReaderGone(
  cli: CliWorld,
  args: string[],
): Promise<{ code: number | null; stderr: string }> {
  const berth = spawn(process.execPath, [cliMain, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: cli.home, NO_COLOR: '1', ...cli.env() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  berth.stdout.destroy();
  let stderr = '';
  berth.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => berth.on('close', resolve));
  return { code, stderr };
}
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

  it('ends quietly with 0 when its reader goes away (get containers | head -1)', async () => {
    for (const args of [
      ['get', 'containers', '-o', 'wide'],
      ['describe', 'container', name],
    ])
      expect(await withReaderGone(world, args)).toEqual({ code: 0, stderr: '' });
  });

  it('says what is wrong in one line: a bad -o is usage (2), no server is failure (1)', async () => {
    const bad = await world.run(['get', 'containers', '-o', 'xml'], { env: world.env() });
    expect(bad).toMatchObject({ code: 2, err: expect.stringContaining('-o must be one of') });
    const none = await world.run(['get', 'containers']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('berth login');
  });
});
