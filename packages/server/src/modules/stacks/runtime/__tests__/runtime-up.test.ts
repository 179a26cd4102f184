import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainersApi } from '../../../../docker/containers-api.js';
import { startTestApp, type TestApp } from '../../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE } from '../../../../testing/test-engine.js';
import {
  COMPOSE_CONFIG_FILES,
  COMPOSE_CONTAINER_NUMBER,
  COMPOSE_DEPENDS_ON,
  COMPOSE_NETWORK,
  COMPOSE_ONEOFF,
  COMPOSE_PROJECT,
  COMPOSE_SERVICE,
  COMPOSE_VERSION,
  COMPOSE_VOLUME,
  STACK_HASH,
} from '../../compose-labels.js';
import type { ComposeRuntime } from '../compose-runtime.js';
import { down, engineEvents, listProject, project, runtimeFor, up } from './runtime-harness.js';

const SLEEP = { image: TEST_IMAGE, command: ['sleep', '300'], stop_grace_period: '1s' };

describe('compose runtime: up, change, no-op, scale, down', () => {
  const fixtures = new EngineFixtures();
  const name = `rt-up-${fixtures.runId}`;
  let t: TestApp;
  let runtime: ComposeRuntime;
  let api: ContainersApi;

  const stack = (webEnv: Record<string, string>, workerScale = 1) =>
    project(
      name,
      {
        db: { ...SLEEP, volumes: [{ type: 'volume', source: 'data', target: '/data' }] },
        web: {
          ...SLEEP,
          environment: webEnv,
          networks: { back: null },
          depends_on: { db: { condition: 'service_started' } },
        },
        worker: { ...SLEEP, networks: { back: null }, scale: workerScale },
      },
      {
        networks: { back: { name: `${name}_back` } },
        volumes: { data: { name: `${name}_data` } },
      },
    );

  beforeAll(async () => {
    t = await startTestApp();
    runtime = runtimeFor(t);
    api = new ContainersApi(fixtures.client);
  });
  afterAll(async () => {
    await down(runtime, name);
    await t.close();
    await fixtures.cleanup();
  });

  it('brings up three services with a network and a named volume, labelled as the compose CLI labels them', async () => {
    const { outcome } = await up(runtime, stack({ FOO: 'one' }));
    expect(outcome).toEqual({
      ok: true,
      services: [
        { service: 'db', status: 'done' },
        { service: 'web', status: 'done' },
        { service: 'worker', status: 'done' },
      ],
    });
    const [containers, networks] = await listProject(fixtures.client, name);
    expect(containers.map((c) => c.Names[0]).sort()).toEqual([
      `/${name}-db-1`,
      `/${name}-web-1`,
      `/${name}-worker-1`,
    ]);
    expect(containers.every((c) => c.State === 'running')).toBe(true);
    const web = await api.inspect(`${name}-web-1`);
    expect(web.Config.Labels).toMatchObject({
      [COMPOSE_PROJECT]: name,
      [COMPOSE_SERVICE]: 'web',
      [COMPOSE_CONTAINER_NUMBER]: '1',
      [COMPOSE_ONEOFF]: 'False',
      [COMPOSE_CONFIG_FILES]: `/tmp/stacks/${name}/compose.yaml`,
      [COMPOSE_DEPENDS_ON]: 'db:service_started:false',
      [COMPOSE_VERSION]: '2.20.0',
    });
    expect(web.Config.Labels?.[STACK_HASH]).toMatch(/^[0-9a-f]{64}$/);
    expect(web.Config.Env).toContain('FOO=one');
    expect(Object.keys(web.NetworkSettings.Networks ?? {})).toEqual([`${name}_back`]);
    expect(networks.map((n) => [n.Name, n.Labels?.[COMPOSE_NETWORK]]).sort()).toEqual([
      [`${name}_back`, 'back'],
      [`${name}_default`, 'default'],
    ]);
    const volume = await fixtures.client.inspectVolume(`${name}_data`);
    expect(volume.Labels).toMatchObject({ [COMPOSE_VOLUME]: 'data', [COMPOSE_PROJECT]: name });
    const db = await api.inspect(`${name}-db-1`);
    expect(db.Mounts.map((m) => [m.Name, m.Destination])).toEqual([[`${name}_data`, '/data']]);
  });

  it('recreates only the service whose environment changed, and the plan names the variable', async () => {
    const before = await listProject(fixtures.client, name).then(([c]) => c);
    const draft = await runtime.plan('local', stack({ FOO: 'two' }));
    const actions = draft.plan.services.map((s) => [s.service, s.action, s.changes]);
    expect(actions).toEqual([
      ['db', 'unchanged', []],
      ['web', 'recreate', ['environment.FOO']],
      ['worker', 'unchanged', []],
    ]);
    expect(draft.plan.unchanged).toBe(false);
    await up(runtime, stack({ FOO: 'two' }));
    const after = await listProject(fixtures.client, name).then(([c]) => c);
    const idOf = (list: typeof before, service: string) =>
      list.find((c) => c.Labels?.[COMPOSE_SERVICE] === service)?.Id;
    expect(idOf(after, 'db')).toBe(idOf(before, 'db'));
    expect(idOf(after, 'worker')).toBe(idOf(before, 'worker'));
    expect(idOf(after, 'web')).not.toBe(idOf(before, 'web'));
    expect((await api.inspect(`${name}-web-1`)).Config.Env).toContain('FOO=two');
    expect(after).toHaveLength(3);
  });

  it('touches nothing when up runs again unchanged: same ids, same start times', async () => {
    const inspectAll = async () => {
      const [containers] = await listProject(fixtures.client, name);
      return Promise.all(
        containers.map(async (c) => [c.Id, (await api.inspect(c.Id)).State.StartedAt]),
      );
    };
    const before = await inspectAll();
    const draft = await runtime.plan('local', stack({ FOO: 'two' }));
    expect(draft.plan.unchanged).toBe(true);
    expect(await runtime.fingerprint('local', stack({ FOO: 'two' }))).toBe(draft.fingerprint);
    const { outcome, progress } = await up(runtime, stack({ FOO: 'two' }));
    expect(outcome.services.map((s) => s.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(progress.filter((p) => p.container !== null)).toEqual([]);
    expect((await inspectAll()).sort()).toEqual(before.sort());
  });

  it('scales a service to 3 and back to 1, naming replicas <project>-<service>-<n>', async () => {
    const draft = await runtime.plan('local', stack({ FOO: 'two' }, 3));
    const worker = draft.plan.services.find((s) => s.service === 'worker');
    expect(worker?.containers.map((c) => [c.name, c.action])).toEqual([
      [`${name}-worker-1`, 'unchanged'],
      [`${name}-worker-2`, 'create'],
      [`${name}-worker-3`, 'create'],
    ]);
    await up(runtime, stack({ FOO: 'two' }, 3));
    const workers = async () =>
      (await listProject(fixtures.client, name))[0]
        .filter((c) => c.Labels?.[COMPOSE_SERVICE] === 'worker')
        .map((c) => c.Names[0])
        .sort();
    expect(await workers()).toEqual([1, 2, 3].map((n) => `/${name}-worker-${n}`));
    const down1 = await runtime.plan('local', stack({ FOO: 'two' }, 1));
    expect(
      down1.plan.services.find((s) => s.service === 'worker')?.containers.map((c) => c.action),
    ).toEqual(['unchanged', 'remove', 'remove']);
    await up(runtime, stack({ FOO: 'two' }, 1));
    expect(await workers()).toEqual([`/${name}-worker-1`]);
  });

  it('stops dependents before their dependencies, and a plan then starts them again', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    const stopped = await runtime.control('local', name, 'stop', { onProgress: () => undefined });
    expect(stopped.ok).toBe(true);
    const [containers] = await listProject(fixtures.client, name);
    expect(containers.map((c) => c.State)).toEqual(['exited', 'exited', 'exited']);
    const events = await engineEvents(fixtures.client, name, since);
    const stopOf = (service: string) =>
      events.find((e) => e.Action === 'stop' && e.Actor.Attributes?.[COMPOSE_SERVICE] === service)
        ?.timeNano ?? 0;
    expect(stopOf('web')).toBeGreaterThan(0);
    expect(stopOf('web')).toBeLessThan(stopOf('db'));
    const draft = await runtime.plan('local', stack({ FOO: 'two' }));
    expect(draft.plan.services.map((s) => s.action)).toEqual(['start', 'start', 'start']);
    await up(runtime, stack({ FOO: 'two' }));
    const [running] = await listProject(fixtures.client, name);
    expect(running.map((c) => c.State)).toEqual(['running', 'running', 'running']);
  });

  it('down removes containers and networks, and the volume only when asked', async () => {
    await down(runtime, name, false);
    const [containers, networks] = await listProject(fixtures.client, name);
    expect(containers).toEqual([]);
    expect(networks).toEqual([]);
    expect((await fixtures.client.inspectVolume(`${name}_data`)).Name).toBe(`${name}_data`);
    await down(runtime, name, true);
    const volumes = await fixtures.client.listVolumes();
    expect(volumes.filter((v) => v.Labels?.[COMPOSE_PROJECT] === name)).toEqual([]);
  });
});
