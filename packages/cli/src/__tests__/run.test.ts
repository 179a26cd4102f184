import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawContainerInspect } from '../../../server/src/docker/engine-types.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../server/src/testing/test-engine.js';
import { cliMain, CliWorld } from './cli-harness.js';
import { hostUserToken } from './cli-users.js';

const world = new CliWorld();
/** A command that waits for SIGINT and exits 7 on it. */
const TRAP_INT = 'trap "echo got it; exit 7" INT; echo ready; while true; do sleep 0.1; done';
const engine = new EngineFixtures();
/** Every container these tests make carries the fixtures' label, so cleanup finds it. */
let own: string[] = [];

beforeAll(async () => {
  await world.start();
  own = ['-l', `${TEST_LABEL}=${engine.runId}`];
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

const inspect = (id: string): Promise<RawContainerInspect> =>
  engine.client.request<RawContainerInspect>('GET', `/containers/${id}/json`);

async function names(): Promise<string[]> {
  return (await engine.listOwnContainers()).flatMap((c) => c.Names.map((n) => n.slice(1)));
}

describe('berth run', () => {
  it('-d creates a running container with the flags applied and prints its ID', async () => {
    const name = engine.name('detached');
    const result = await world.run(
      [
        'run',
        '-d',
        '--name',
        name,
        ...own,
        '-e',
        'GREETING=hello world',
        '--label=tier=web',
        '-w',
        '/tmp',
        '--restart',
        'on-failure:2',
        '-m',
        '64m',
        '--cpus',
        '0.5',
        '-h',
        'box',
        '--cap-drop',
        'net_raw',
        TEST_IMAGE,
        'sleep',
        '300',
      ],
      { env: world.env() },
    );
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const id = result.out.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const container = await inspect(id);
    expect(container.Name).toBe(`/${name}`);
    expect(container.State.Running).toBe(true);
    expect(container.Config.Env).toContain('GREETING=hello world');
    expect(container.Config.Labels).toMatchObject({ tier: 'web' });
    expect(container.Config.WorkingDir).toBe('/tmp');
    expect(container.Config.Hostname).toBe('box');
    expect(container.Config.Cmd).toEqual(['sleep', '300']);
    expect(container.HostConfig.RestartPolicy).toEqual({
      Name: 'on-failure',
      MaximumRetryCount: 2,
    });
    expect(container.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(container.HostConfig.NanoCpus).toBe(500_000_000);
    expect(container.HostConfig.CapDrop).toEqual(['NET_RAW']);
  });

  it('attached, prints the output and exits with the exit code; the command keeps its own flags', async () => {
    const failing = await world.run(
      ['run', ...own, TEST_IMAGE, 'sh', '-c', 'echo hi; echo oops >&2; exit 3'],
      { env: world.env() },
    );
    expect(failing).toMatchObject({ code: 3, out: 'hi\n' });
    expect(failing.err).toContain('oops');

    // -l after the image is ls's, not a label; --rm removes the container once it has exited.
    const name = engine.name('listing');
    const listing = await world.run(
      ['run', '--rm', '--name', name, ...own, TEST_IMAGE, 'ls', '-l', '/'],
      {
        env: world.env(),
      },
    );
    expect(listing.code).toBe(0);
    expect(listing.out).toMatch(/^d[rwx-]{9} .* etc$/m);
    expect(await names()).not.toContain(name);
  });

  it('-d of a command that ends at once is created (exit 0, a note); a watch asked for fails', async () => {
    const quick = engine.name('quick');
    const done = await world.run(
      ['run', '-d', '--name', quick, '-l', `${TEST_LABEL}=${engine.runId}`, TEST_IMAGE, 'true'],
      { env: world.env() },
    );
    expect(done.code).toBe(0);
    expect(done.out).toMatch(/^[0-9a-f]{64}\n$/);
    // The server's one look after the start may or may not catch it stopped: never an error.
    expect(done.err).not.toMatch(/^error:/m);
    const watched = engine.name('watched');
    const failed = await world.run(
      [
        'run',
        '-d',
        '--name',
        watched,
        '--validate',
        '2',
        '-l',
        `${TEST_LABEL}=${engine.runId}`,
      ].concat([TEST_IMAGE, 'sh', '-c', 'exit 3']),
      { env: world.env() },
    );
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(new RegExp(`^error: ${watched}: .*3`, 'm'));
    expect(await names()).toEqual(expect.arrayContaining([quick, watched]));
  });

  it('refuses a docker flag Berth does not support, or an unknown one, by name (exit 2)', async () => {
    const gpus = await world.run(['run', '--gpus', 'all', ...own, TEST_IMAGE], {
      env: world.env(),
    });
    expect(gpus.code).toBe(2);
    expect(gpus.err).toContain('--gpus is a docker run flag Berth does not support');
    const unknown = await world.run(['run', '-d', '--frobnicate', TEST_IMAGE], {
      env: world.env(),
    });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown flag --frobnicate');
    const none = await world.run(['run', '-d'], { env: world.env() });
    expect(none).toMatchObject({ code: 2, err: expect.stringContaining('needs an image') });
  });

  it('--dry-run prints the docker run and the request, and creates nothing', async () => {
    const before = await names();
    const name = engine.name('dry');
    const dry = await world.run(
      [
        'run',
        '--dry-run',
        '-d',
        '--name',
        name,
        ...own,
        '-p',
        '8080:80',
        '-v',
        '/srv/data:/data:ro',
        TEST_IMAGE,
        'sleep',
        '9',
      ],
      { env: world.env() },
    );
    expect(dry.err).toBe('');
    expect(dry.code).toBe(0);
    const [docker, request] = dry.out.split('\n');
    expect(docker).toMatch(/^docker run --detach /);
    expect(docker).toContain(`--name ${name}`);
    expect(docker).toContain('--publish 8080:80');
    expect(docker).toContain(`${TEST_IMAGE} sleep 9`);
    expect(request).toBe('POST /api/hosts/local/containers');
    expect(dry.out).toContain('"containerPort": 80');
    expect(await names()).toEqual(before);
  });
});

describe('berth run, the edges', () => {
  it("surfaces the host's security refusal in one line, and creates nothing", async () => {
    const operator = await hostUserToken(world, 'runner', 'operator');
    const before = await names();
    const refused = await world.run(
      ['run', '-d', '--privileged', ...own, TEST_IMAGE, 'sleep', '1'],
      { env: world.env(operator) },
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^error: .*privileged/i);
    expect(refused.err.trim().split('\n')).toHaveLength(1);
    expect(await names()).toEqual(before);
  });

  it('passes Ctrl-C on to an attached container, as docker does', async () => {
    const child = spawn(
      process.execPath,
      [cliMain, 'run', ...own, TEST_IMAGE, 'sh', '-c', TRAP_INT],
      { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', HOME: world.home, ...world.env() } },
    );
    let out = '';
    const ready = new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) resolve();
      }),
    );
    const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
    await ready;
    child.kill('SIGINT');
    expect(await exit).toBe(7);
    expect(out).toBe('ready\ngot it\n');
  });

  it('takes program options before run too, and shows its flags for --help', async () => {
    const dry = await world.run(['-H', 'local', '--dry-run', 'run', '-d', TEST_IMAGE], {
      env: world.env(),
    });
    expect(dry.out).toContain('POST /api/hosts/local/containers');
    const help = await world.run(['run', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: berth run [flags] IMAGE [COMMAND] [ARG...]');
    expect(help.out).toMatch(/-v, --volume <src:dst\[:ro\]>/);
  });
});

describe('berth create -f', () => {
  it('names a bad field and creates nothing; a good spec is created', async () => {
    const before = await names();
    const bad = join(world.home, 'bad.yaml');
    writeFileSync(
      bad,
      `image: ${TEST_IMAGE}\nname: ${engine.name('bad')}\nports:\n  - containerPort: 99999\n`,
    );
    const refused = await world.run(['create', '-f', bad], { env: world.env() });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('ports.0.containerPort: a port number from 1 to 65535');
    expect(await names()).toEqual(before);

    const name = engine.name('fromfile');
    const spec = JSON.stringify({
      image: TEST_IMAGE,
      name,
      command: ['sleep', '300'],
      labels: { [TEST_LABEL]: engine.runId },
      autoStart: false,
    });
    const created = await world.run(['create', '-f', '-'], { env: world.env(), input: spec });
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    const container = await inspect(created.out.trim());
    expect(container.Name).toBe(`/${name}`);
    expect(container.State.Status).toBe('created');

    // As run, no watch after the start unless the file or --validate asks for one.
    const plain = JSON.stringify({ image: TEST_IMAGE, name: engine.name('plain') });
    const dry = await world.run(['--dry-run', 'create', '-f', '-'], {
      env: world.env(),
      input: plain,
    });
    expect(dry.out).toContain('"validateSeconds": 0');
    const asked = await world.run(['--dry-run', 'create', '-f', '-', '--validate', '7'], {
      env: world.env(),
      input: plain,
    });
    expect(asked.out).toContain('"validateSeconds": 7');
    const wrong = await world.run(['create', '-f', '-', '--validate', 'soon'], {
      env: world.env(),
      input: plain,
    });
    expect(wrong).toMatchObject({ code: 2, err: expect.stringContaining('--validate') });
    expect(await names()).not.toContain(engine.name('plain'));
  });
});
