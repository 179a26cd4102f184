import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineFixtures } from '../../../server/src/testing/test-engine.js';
import { cliMain, CliWorld } from './cli-harness.js';
import { RunningCli } from './cli-stream.js';

const world = new CliWorld();
const engine = new EngineFixtures();
let name = '';

beforeAll(async () => {
  await world.start();
  await engine.start(await engine.createContainer('exec', ['sleep', '300']));
  name = engine.name('exec');
  await engine.createContainer('exec-stopped');
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

describe('berth exec', () => {
  it('keeps stdout and stderr apart and passes the exit code through', async () => {
    const result = await world.run(
      ['exec', name, '--', 'sh', '-c', 'echo out; echo err >&2; exit 4'],
      { env: world.env() },
    );
    expect(result).toEqual({ code: 4, out: 'out\n', err: 'err\n' });
    // As docker exec: options end at the container, so `--` is not needed before the command's.
    const bare = await world.run(['exec', name, 'sh', '-c', 'echo bare; exit 3'], {
      env: world.env(),
    });
    expect(bare).toEqual({ code: 3, out: 'bare\n', err: '' });
  });

  it('sends piped stdin with -i, its end closing the command’s stdin', async () => {
    const result = await world.run(['exec', '-i', name, '--', 'cat'], {
      env: world.env(),
      input: 'hi\n',
    });
    expect(result).toEqual({ code: 0, out: 'hi\n', err: '' });
  });

  it('runs as the user, in the folder and with the variables asked for', async () => {
    const result = await world.run(
      ['exec', '-u', '1234', '-w', '/tmp', '-e', 'GREETING=hello there', name, '--'].concat([
        'sh',
        '-c',
        'echo "$GREETING" $(pwd) $(id -u)',
      ]),
      { env: world.env() },
    );
    expect(result).toEqual({ code: 0, out: 'hello there /tmp 1234\n', err: '' });
  });

  it('prints the docker command and the request under --dry-run, running nothing', async () => {
    const result = await world.run(['--dry-run', 'exec', '-i', name, '--', 'rm', '-rf', '/tmp/x'], {
      env: world.env(),
    });
    expect(result.code).toBe(0);
    expect(result.out.split('\n')[0]).toBe(`docker exec --interactive ${name} rm -rf /tmp/x`);
    expect(result.out).toContain(`/containers/${name}/exec/terminal?command=rm&command=-rf`);
  });

  it('says why it cannot run: a stopped or missing container, in one line', async () => {
    const missing = await world.run(['exec', 'no-such-container', '--', 'true'], {
      env: world.env(),
    });
    expect(missing.code).toBe(1);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    const stopped = await world.run(['exec', engine.name('exec-stopped'), '--', 'true'], {
      env: world.env(),
    });
    expect(stopped.code).toBe(1);
    expect(stopped.err).toMatch(/^error: container_not_running: .* start it first\n$/);
  });

  it('runs -it through a real terminal: raw keys in, 42 out, the exit code 5 back', async () => {
    const line = [process.execPath, cliMain, 'exec', '-it', name, '--', 'sh']
      .map((arg) => `'${arg}'`)
      .join(' ');
    const term = RunningCli.spawn('script', ['-qec', line, '/dev/null'], {
      HOME: world.home,
      TERM: 'xterm',
      ...world.env(),
    });
    term.child.stdin.write('echo $((6*7)); exit 5\n');
    await term.waitForOut('the answer', (out) => /(^|\n)42\r*\n/.test(out));
    term.child.stdin.end();
    const result = await term.ended();
    expect(result.code).toBe(5);
  });
});
