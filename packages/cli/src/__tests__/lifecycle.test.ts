import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawContainerInspect } from '../../../server/src/docker/engine-types.js';
import { EngineFixtures } from '../../../server/src/testing/test-engine.js';
import { CliWorld } from './cli-harness.js';
import { hostUserToken } from './cli-users.js';

const world = new CliWorld();
const engine = new EngineFixtures();
let viewer = '';

beforeAll(async () => {
  await world.start();
  viewer = await hostUserToken(world, 'watcher', 'viewer');
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

const inspect = (ref: string): Promise<RawContainerInspect> =>
  engine.client.request<RawContainerInspect>('GET', `/containers/${ref}/json`);

async function running(base: string): Promise<string> {
  const id = await engine.createContainer(base, ['sleep', '300']);
  await engine.start(id);
  return engine.name(base);
}

describe('berth start, stop, restart, kill, pause, unpause', () => {
  it('stops several at once: the existing one stops, the missing one fails, both listed, exit 1', async () => {
    const name = await running('bulk');
    const missing = engine.name('missing');
    const result = await world.run(['stop', name, missing], { env: world.env() });
    expect(result.code).toBe(1);
    expect(result.out).toContain(name);
    expect(result.err).toContain(`error: ${missing}:`);
    expect(result.err).toContain('1 of 2 failed');
    expect((await inspect(name)).State.Running).toBe(false);
  });

  it('runs each action on one container, with -t and -s', async () => {
    const name = await running('one');
    const env = { env: world.env() };
    expect(await world.run(['pause', name], env)).toMatchObject({ code: 0, out: `${name}\n` });
    expect((await inspect(name)).State.Paused).toBe(true);
    expect((await world.run(['unpause', name], env)).code).toBe(0);
    expect((await inspect(name)).State.Paused).toBe(false);
    expect((await world.run(['stop', '-t', '1', name], env)).code).toBe(0);
    expect((await inspect(name)).State.Running).toBe(false);
    expect((await world.run(['start', name], env)).code).toBe(0);
    expect((await world.run(['restart', '--time', '1', name], env)).code).toBe(0);
    expect((await inspect(name)).State.Running).toBe(true);
    // A signal that is none is refused before any request, as is a number past 64.
    for (const bad of ['BOGUS', '0', '65', 'SIG']) {
      const refused = await world.run(['kill', '-s', bad, name], env);
      expect(refused.code).toBe(2);
      expect(refused.err).toContain(`"${bad}" is not a signal`);
    }
    expect((await inspect(name)).State.Running).toBe(true);
    expect((await world.run(['kill', '-s', 'SIGKILL', name], env)).code).toBe(0);
    expect((await inspect(name)).State.Running).toBe(false);
  });

  it('--dry-run prints the docker command and the request, and stops nothing', async () => {
    const name = await running('dry');
    const dry = await world.run(['stop', '--dry-run', '-t', '5', name], { env: world.env() });
    expect(dry.code).toBe(0);
    expect(dry.out).toBe(
      `docker stop --time 5 ${name}\nPOST /api/hosts/local/containers/${name}/stop?timeout=5\n`,
    );
    expect((await inspect(name)).State.Running).toBe(true);
  });

  it("refuses a viewer's change with the server's message, exit 1", async () => {
    const name = await running('viewer');
    const refused = await world.run(['stop', name], { env: world.env(viewer) });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(new RegExp(`^error: ${name}: forbidden: .+\n$`));
    expect((await inspect(name)).State.Running).toBe(true);
  });
});

describe('berth rm, rename, update, recreate', () => {
  it('rm refuses a running container without -f, as the server does; -f removes it', async () => {
    const name = await running('remove');
    const refused = await world.run(['rm', name], { env: world.env() });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(name);
    expect((await inspect(name)).State.Running).toBe(true);
    const removed = await world.run(['delete', '-f', name], { env: world.env() });
    expect(removed).toMatchObject({ code: 0, out: `${name}\n` });
    expect((await engine.listOwnContainers()).map((c) => c.Names[0])).not.toContain(`/${name}`);
  });

  it('renames, and updates the limits and restart policy of a live container', async () => {
    const name = await running('rename');
    const renamed = engine.name('renamed');
    expect(await world.run(['rename', name, renamed], { env: world.env() })).toMatchObject({
      code: 0,
      out: `${renamed}\n`,
    });
    const updated = await world.run(
      ['update', renamed, '--memory', '96m', '--cpus', '1.5', '--restart', 'unless-stopped'],
      { env: world.env() },
    );
    expect(updated.err).toBe('');
    expect(updated.code).toBe(0);
    const container = await inspect(renamed);
    expect(container.HostConfig.Memory).toBe(96 * 1024 * 1024);
    expect(container.HostConfig.NanoCpus).toBe(1_500_000_000);
    expect(container.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
  });

  it('recreate --set env applies, keeping the rest; --unset env drops a variable', async () => {
    const id = await engine.createContainer('recreate', ['sleep', '300']);
    await engine.start(id);
    const name = engine.name('recreate');
    const recreated = await world.run(
      ['recreate', name, '--set', 'env.FOO=bar', '--set', 'env.KEEP=1', '--validate', '0'],
      { env: world.env() },
    );
    expect(recreated.err).toBe('');
    expect(recreated.code).toBe(0);
    expect(recreated.out).toMatch(new RegExp(`^container/${name} recreated \\([0-9a-f]{12}\\)\n$`));
    const container = await inspect(name);
    const newId = container.Id;
    expect(newId).not.toBe(id);
    expect(recreated.out).toContain(`(${newId.slice(0, 12)})`);
    expect(container.Config.Env).toEqual(expect.arrayContaining(['FOO=bar', 'KEEP=1']));
    expect(container.Config.Cmd).toEqual(['sleep', '300']);

    const dry = await world.run(['recreate', name, '--set', 'env.DRY=1', '--dry-run'], {
      env: world.env(),
    });
    expect(dry.code).toBe(0);
    const [rm, run, request] = dry.out.split('\n');
    expect(rm).toBe(`docker rm --force ${name}`);
    expect(run).toMatch(/^docker run --detach .*DRY=1/);
    expect(request).toBe(`POST /api/hosts/local/containers/${name}/recreate`);
    expect((await inspect(name)).Id).toBe(newId);

    const dropped = await world.run(['recreate', name, '--unset', 'env.FOO', '--validate', '0'], {
      env: world.env(),
    });
    expect(dropped.code).toBe(0);
    const after = await inspect(name);
    expect(after.Config.Env).toContain('KEEP=1');
    expect(after.Config.Env).not.toContain('FOO=bar');
  });
});
