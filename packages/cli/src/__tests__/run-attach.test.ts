import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../server/src/testing/test-engine.js';
import { cliMain, CliWorld } from './cli-harness.js';
import { RunningCli } from './cli-stream.js';

const world = new CliWorld();
const engine = new EngineFixtures();
let own: string[] = [];

const env = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  NO_COLOR: '1',
  HOME: world.home,
  SHELL: '/bin/sh',
  ...world.env(),
});

async function names(): Promise<string[]> {
  return (await engine.listOwnContainers()).flatMap((c) => c.Names.map((n) => n.slice(1)));
}

beforeAll(async () => {
  await world.start();
  own = ['-l', `${TEST_LABEL}=${engine.runId}`];
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

describe('berth run -i / -it (attached)', () => {
  it('-i passes piped input on, closes it at its end, and --rm removes the container', async () => {
    const name = engine.name('run-i');
    const result = await world.run(
      ['run', '-i', '--rm', '--name', name, ...own, TEST_IMAGE, 'cat'],
      {
        env: world.env(),
        input: 'piped\n',
      },
    );
    expect(result.err).toBe('');
    expect(result).toMatchObject({ code: 0, out: 'piped\n' });
    expect(await names()).not.toContain(name);
  });

  it('-it on a terminal runs typed lines in sh and exits with its exit code', async () => {
    const name = engine.name('run-it');
    const command = [process.execPath, cliMain, 'run', '-it', '--rm', '--name', name, ...own]
      .concat([TEST_IMAGE, 'sh'])
      .join(' ');
    // `script` gives the CLI a terminal, so it reads it raw.
    const cli = RunningCli.spawn('script', ['-qec', command, '/dev/null'], env());
    await cli.seen('# ');
    cli.type('echo $((6*7)); exit 6\r');
    await cli.seen('42');
    expect(await cli.exitCode()).toBe(6);
    expect(await names()).not.toContain(name);
  });

  it('SIGTERM to an attached run --rm removes the container', async () => {
    const name = engine.name('run-term');
    const args = ['run', '-i', '--rm', '--name', name, ...own, TEST_IMAGE];
    const cli = RunningCli.spawn(
      process.execPath,
      [cliMain, ...args, 'sh', '-c', 'echo ready; sleep 300'],
      env(),
    );
    await cli.seen('ready');
    expect(await names()).toContain(name);
    cli.child.kill('SIGTERM');
    expect(await cli.exitCode()).toBe(143);
    // The CLI exits only once the removal has been answered.
    expect(await names()).not.toContain(name);
  });
});
