import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../server/src/testing/test-engine.js';
import { cliMain, CliWorld } from './cli-harness.js';
import { RunningCli } from './cli-stream.js';

const world = new CliWorld();
const engine = new EngineFixtures();

/** A running `sh` reading its stdin (OpenStdin), with or without a TTY. */
async function shell(base: string, tty: boolean): Promise<string> {
  const created = await engine.client.request<{ Id: string }>('POST', '/containers/create', {
    query: { name: engine.name(base) },
    body: {
      Image: TEST_IMAGE,
      Cmd: ['sh'],
      OpenStdin: true,
      Tty: tty,
      Labels: { [TEST_LABEL]: engine.runId },
      StopTimeout: 1,
    },
  });
  await engine.start(created.Id);
  return created.Id;
}

const env = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  NO_COLOR: '1',
  HOME: world.home,
  SHELL: '/bin/sh',
  ...world.env(),
});

beforeAll(async () => {
  await world.start();
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

describe('berth attach', () => {
  it('passes input and output of sh, and exits with the container’s exit code', async () => {
    const id = await shell('attach-sh', false);
    const cli = RunningCli.spawn(process.execPath, [cliMain, 'attach', id], env());
    cli.type('echo hi\n');
    await cli.seen('hi');
    cli.type('exit 7\n');
    expect(await cli.exitCode()).toBe(7);
    expect(cli.out).toBe('hi\n');
  });

  it('detaches on ctrl-p ctrl-q typed on a terminal, leaving the container running', async () => {
    const id = await shell('attach-tty', true);
    // `script` gives the CLI a terminal: stdin is a TTY, so the CLI reads it raw.
    const command = `${process.execPath} ${cliMain} attach ${id}`;
    const cli = RunningCli.spawn('script', ['-qec', command, '/dev/null'], env());
    // Once sh has run this the CLI is attached and raw (the typed text itself says 40+2).
    cli.type('echo $((40+2))\r');
    await cli.seen('42');
    cli.type('\u0010\u0011');
    expect(await cli.exitCode()).toBe(0);
    expect(cli.out).toContain('read escape sequence');
    const inspect = await engine.client.request<{ State: { Running: boolean } }>(
      'GET',
      `/containers/${id}/json`,
    );
    expect(inspect.State.Running).toBe(true);
  });

  it('refuses bad detach keys (2) and a container that is not running (1)', async () => {
    const bad = await world.run(['attach', '--detach-keys', 'ctrl-1', 'x'], { env: world.env() });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--detach-keys');
    // A created one may be attached (berth run does, then starts it); an exited one not.
    const stopped = await engine.createContainer('attach-stopped', ['true']);
    await engine.start(stopped);
    await engine.client.request('POST', `/containers/${stopped}/wait`);
    const refused = await world.run(['attach', stopped], { env: world.env() });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^error: container_not_running: /);
  });
});
