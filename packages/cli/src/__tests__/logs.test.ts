import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineFixtures } from '../../../server/src/testing/test-engine.js';
import { waitFor } from '../../../server/src/testing/wait-for.js';
import { cliMain, CliWorld } from './cli-harness.js';
import { RunningCli } from './cli-stream.js';

const world = new CliWorld();
const engine = new EngineFixtures();
let done = '';
let counter = '';

beforeAll(async () => {
  await world.start();
  const doneId = await engine.createContainer('logs-done', [
    'sh',
    '-c',
    'echo out-1; echo err-1 >&2; echo out-2',
  ]);
  const counterId = await engine.createContainer('logs-counter', [
    'sh',
    '-c',
    'i=0; while true; do echo line-$i; i=$((i+1)); sleep 1; done',
  ]);
  await engine.start(doneId);
  await engine.start(counterId);
  done = engine.name('logs-done');
  counter = engine.name('logs-counter');
  await waitFor('the first container to exit', async () => {
    const inspect = await engine.client.request<{ State: { Running: boolean } }>(
      'GET',
      `/containers/${doneId}/json`,
    );
    return !inspect.State.Running;
  });
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

describe('berth logs', () => {
  it('prints a stopped container’s stdout to stdout and its stderr to stderr', async () => {
    const result = await world.run(['logs', done], { env: world.env() });
    expect(result).toEqual({ code: 0, out: 'out-1\nout-2\n', err: 'err-1\n' });
    const onlyOut = await world.run(['logs', '--stdout-only', done], { env: world.env() });
    expect(onlyOut).toEqual({ code: 0, out: 'out-1\nout-2\n', err: '' });
  });

  it('takes --tail lines from the end and starts each with its time under -t', async () => {
    // The counter writes stdout only: across two streams the engine keeps no order of lines
    // written at once, so a tail of the first container could end with either.
    await waitFor('two counter lines', async () => {
      const soFar = await world.run(['logs', counter], { env: world.env() });
      return soFar.out.split('\n').length > 2;
    });
    const tail = await world.run(['logs', '--tail', '2', counter], { env: world.env() });
    expect(tail.code).toBe(0);
    const [a, b, ...rest] = tail.out.split('\n');
    expect(rest).toEqual(['']);
    expect(Number(b?.slice('line-'.length))).toBe(Number(a?.slice('line-'.length)) + 1);
    const stamped = await world.run(['logs', '-t', '--stdout-only', done], { env: world.env() });
    expect(stamped.code).toBe(0);
    const lines = stamped.out.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z out-\d$/);
    const recent = await world.run(['logs', '--since', '1h', '--stdout-only', done], {
      env: world.env(),
    });
    expect(recent.out).toBe('out-1\nout-2\n');
    const before = await world.run(['logs', '--until', '2001-01-01T00:00:00Z', done], {
      env: world.env(),
    });
    expect(before).toEqual({ code: 0, out: '', err: '' });
    const bad = await world.run(['logs', '--tail', 'some', done], { env: world.env() });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--tail');
    for (const since of ['yesterday', '2024-13-45']) {
      const refused = await world.run(['logs', '--since', since, done], { env: world.env() });
      expect(refused.code).toBe(2);
      expect(refused.err).toContain(`--since "${since}"`);
    }
    const epoch = await world.run(['logs', '--since', '0', '--stdout-only', done], {
      env: world.env(),
    });
    expect(epoch.out).toBe('out-1\nout-2\n');
  });

  it('follows: lines written after it started arrive, and Ctrl-C ends it with 0', async () => {
    const follow = RunningCli.berth(['logs', '-f', '--tail', '1', counter], {
      HOME: world.home,
      ...world.env(),
    });
    await follow.waitForOut('a first line', (out) => /line-\d+\n/.test(out));
    const first = Number(/line-(\d+)/.exec(follow.out)?.[1]);
    await follow.waitForOut('a line written later', (out) => out.includes(`line-${first + 2}\n`));
    follow.child.kill('SIGINT');
    const result = await follow.ended();
    expect(result.code).toBe(0);
    expect(result.err).toBe('');
  });

  it('follows a stopped container: its history, then the end, exit 0', async () => {
    const result = await world.run(['logs', '-f', '--stdout-only', done], { env: world.env() });
    expect(result).toEqual({ code: 0, out: 'out-1\nout-2\n', err: '' });
  });

  it('ends quietly with 0 when its reader goes away (logs -f | head -1)', async () => {
    const pipe = RunningCli.spawn(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${cliMain}" logs -f "$0" | head -1`, counter],
      { HOME: world.home, ...world.env() },
    );
    const result = await pipe.ended();
    expect(result.err).toBe('');
    expect(result.out).toMatch(/^line-\d+\n$/);
    expect(result.code).toBe(0);
  });

  it('says in one line that a container does not exist', async () => {
    const missing = await world.run(['logs', '-f', 'no-such-container'], { env: world.env() });
    expect(missing.code).toBe(1);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).toMatch(/not.found|no such/i);
  });
});
