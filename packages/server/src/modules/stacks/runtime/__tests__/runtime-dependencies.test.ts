import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../core/errors.js';
import { ContainersApi } from '../../../../docker/containers-api.js';
import { startTestApp, type TestApp } from '../../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE } from '../../../../testing/test-engine.js';
import type { ComposeRuntime } from '../compose-runtime.js';
import { down, engineEvents, listProject, project, runtimeFor, up } from './runtime-harness.js';

const SLEEP = { image: TEST_IMAGE, command: ['sleep', '300'], stop_grace_period: '1s' };

describe('compose runtime: dependencies, one-shots, failures, static addresses, policy', () => {
  const fixtures = new EngineFixtures();
  const stackName = (base: string): string => `rt-${base}-${fixtures.runId}`;
  const made: string[] = [];
  let t: TestApp;
  let runtime: ComposeRuntime;
  let api: ContainersApi;

  beforeAll(async () => {
    t = await startTestApp();
    runtime = runtimeFor(t);
    api = new ContainersApi(fixtures.client);
  });
  afterAll(async () => {
    for (const name of made) await down(runtime, name);
    await t.close();
    await fixtures.cleanup();
  });

  const named = (base: string): string => {
    const name = stackName(base);
    made.push(name);
    return name;
  };

  it('starts a service_healthy dependent only after its dependency turned healthy (engine event times)', async () => {
    const name = named('healthy');
    const since = Math.floor(Date.now() / 1000) - 1;
    const p = project(name, {
      db: {
        ...SLEEP,
        // Healthy only once the file exists, a few checks after start.
        command: ['sh', '-c', 'sleep 1.5; touch /tmp/ready; exec sleep 300'],
        healthcheck: { test: ['CMD-SHELL', 'test -f /tmp/ready'], interval: '300ms', retries: 30 },
      },
      app: { ...SLEEP, depends_on: { db: { condition: 'service_healthy' } } },
    });
    const { outcome, progress } = await up(runtime, p);
    expect(outcome.ok).toBe(true);
    expect(progress.some((e) => e.service === 'app' && e.step === 'waiting')).toBe(true);
    const events = await engineEvents(fixtures.client, name, since);
    const db = await api.inspect(`${name}-db-1`);
    const app = await api.inspect(`${name}-app-1`);
    const healthyAt = events.find(
      (e) => e.Actor.ID === db.Id && e.Action === 'health_status: healthy',
    );
    const appStart = events.find((e) => e.Actor.ID === app.Id && e.Action === 'start');
    const dbStart = events.find((e) => e.Actor.ID === db.Id && e.Action === 'start');
    expect(healthyAt && appStart && dbStart).toBeTruthy();
    expect(dbStart?.timeNano).toBeLessThan(healthyAt?.timeNano ?? 0);
    expect(healthyAt?.timeNano).toBeLessThan(appStart?.timeNano ?? 0);
  });

  it('shows a one-shot migration that exits 0 as completed, runs its dependent, and leaves both alone on the next up', async () => {
    const name = named('migrate');
    const p = project(name, {
      migrate: { image: TEST_IMAGE, command: ['sh', '-c', 'echo migrated'] },
      web: { ...SLEEP, depends_on: { migrate: { condition: 'service_completed_successfully' } } },
    });
    const { outcome } = await up(runtime, p);
    expect(outcome).toEqual({
      ok: true,
      services: [
        { service: 'migrate', status: 'completed' },
        { service: 'web', status: 'done' },
      ],
    });
    const again = await runtime.plan('local', p);
    expect(again.plan.unchanged).toBe(true);
  });

  it('stops the dependents of a failing service and says why: exit code and last log lines', async () => {
    const name = named('failing');
    const p = project(name, {
      setup: {
        image: TEST_IMAGE,
        command: ['sh', '-c', 'echo cannot reach the database >&2; exit 3'],
      },
      api: { ...SLEEP, depends_on: { setup: { condition: 'service_completed_successfully' } } },
      front: { ...SLEEP, depends_on: { api: { condition: 'service_started' } } },
      other: SLEEP,
    });
    const { outcome } = await up(runtime, p);
    expect(outcome.ok).toBe(false);
    const by = Object.fromEntries(outcome.services.map((s) => [s.service, s]));
    expect(by.setup?.status).toBe('failed');
    expect(by.setup?.message).toContain('exited with code 3');
    expect(by.setup?.message).toContain('cannot reach the database');
    expect(by.api?.status).toBe('skipped');
    expect(by.api?.message).toContain('setup did not complete successfully');
    expect(by.front).toEqual({
      service: 'front',
      status: 'skipped',
      message: 'skipped: its dependency api failed',
    });
    expect(by.other?.status).toBe('done');
    const [containers] = await listProject(fixtures.client, name);
    expect(containers.map((c) => c.Names[0]).sort()).toEqual([
      `/${name}-other-1`,
      `/${name}-setup-1`,
    ]);
  });

  it('restarts a dependent with restart: true when its dependency is recreated, keeping the dependent', async () => {
    const name = named('restart');
    const stack = (version: string) =>
      project(name, {
        db: { ...SLEEP, environment: { VERSION: version } },
        app: { ...SLEEP, depends_on: { db: { condition: 'service_started', restart: true } } },
      });
    await up(runtime, stack('1'));
    const before = await api.inspect(`${name}-app-1`);
    const draft = await runtime.plan('local', stack('2'));
    expect(draft.plan.services.map((s) => [s.service, s.action])).toEqual([
      ['db', 'recreate'],
      ['app', 'unchanged'],
    ]);
    const { outcome } = await up(runtime, stack('2'));
    expect(outcome.services).toEqual([
      { service: 'db', status: 'done' },
      { service: 'app', status: 'done' },
    ]);
    const after = await api.inspect(`${name}-app-1`);
    expect(after.Id).toBe(before.Id);
    expect(after.State.StartedAt).not.toBe(before.State.StartedAt);
  });

  it('names the health output when a dependency turns unhealthy', async () => {
    const name = named('unhealthy');
    const p = project(name, {
      db: {
        ...SLEEP,
        healthcheck: {
          test: ['CMD-SHELL', 'echo database not ready; exit 1'],
          interval: '200ms',
          retries: 2,
        },
      },
      app: { ...SLEEP, depends_on: { db: { condition: 'service_healthy' } } },
    });
    const { outcome } = await up(runtime, p);
    const by = Object.fromEntries(outcome.services.map((s) => [s.service, s]));
    expect(by.db?.status).toBe('failed');
    expect(by.db?.message).toContain('is unhealthy: database not ready');
    expect(by.app?.status).toBe('skipped');
    expect(by.app?.message).toContain('db did not become healthy');
  });

  it('puts the old container back when its replacement fails to start', async () => {
    const name = named('rollback');
    const stack = (command: string[]) => project(name, { web: { ...SLEEP, command } });
    await up(runtime, stack(['sleep', '300']));
    const before = await api.inspect(`${name}-web-1`);
    const { outcome } = await up(runtime, stack(['/no/such/program']));
    expect(outcome.services[0]?.status).toBe('failed');
    expect(outcome.services[0]?.message).toContain('/no/such/program');
    const [containers] = await listProject(fixtures.client, name);
    expect(containers.map((c) => [c.Id, c.Names[0], c.State])).toEqual([
      [before.Id, `/${name}-web-1`, 'running'],
    ]);
  });

  it('gives a service its static address on a network with a subnet', async () => {
    const name = named('static');
    const [a, b] = [randomInt(16, 250), randomInt(1, 250)];
    const p = project(
      name,
      {
        web: {
          ...SLEEP,
          networks: { front: { ipv4_address: `10.${a}.${b}.10`, aliases: ['www'] } },
        },
      },
      {
        networks: {
          front: { name: `${name}_front`, ipam: { config: [{ subnet: `10.${a}.${b}.0/24` }] } },
        },
      },
    );
    const { outcome } = await up(runtime, p);
    expect(outcome.ok).toBe(true);
    const endpoint = (await api.inspect(`${name}-web-1`)).NetworkSettings.Networks?.[
      `${name}_front`
    ];
    expect(endpoint?.IPAddress).toBe(`10.${a}.${b}.10`);
    expect(endpoint?.Aliases).toEqual(expect.arrayContaining(['web', 'www']));
  });

  it('lets an operator change a stack an admin gave a host folder, but not add another', async () => {
    const name = named('inherit');
    const stack = (env: Record<string, string>, extra: Record<string, unknown>[] = []) =>
      project(name, {
        web: {
          ...SLEEP,
          environment: env,
          volumes: [
            { type: 'bind', source: '/etc', target: '/host-etc', read_only: true },
            ...extra,
          ],
        },
      });
    expect((await up(runtime, stack({ A: '1' }))).outcome.ok).toBe(true);
    expect((await up(runtime, stack({ A: '2' }), 'operator')).outcome.ok).toBe(true);
    const more = [{ type: 'bind', source: '/usr', target: '/host-usr' }];
    await expect(up(runtime, stack({ A: '2' }, more), 'operator')).rejects.toMatchObject({
      code: 'forbidden_by_host_policy',
      details: { field: 'mounts.1.source' },
    });
  });

  it("refuses a non-admin's host bind mount outside the host policy, before anything is made", async () => {
    const name = named('policy');
    const p = project(name, {
      web: { ...SLEEP, volumes: [{ type: 'bind', source: '/etc', target: '/host-etc' }] },
    });
    const refused = await up(runtime, p, 'operator').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({
      status: 403,
      code: 'forbidden_by_host_policy',
      details: { field: 'mounts.0.source', setting: 'bindMounts' },
    });
    const [containers, networks] = await listProject(fixtures.client, name);
    expect(containers).toEqual([]);
    expect(networks).toEqual([]);
  });
});
