import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../core/errors.js';
import { ContainersApi } from '../../../../docker/containers-api.js';
import { NetworksApi } from '../../../../docker/networks-api.js';
import { VolumesApi } from '../../../../docker/volumes-api.js';
import { startTestApp, type TestApp } from '../../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../../testing/test-engine.js';
import type { ComposeRuntime } from '../compose-runtime.js';
import { down, project, runtimeFor, up } from './runtime-harness.js';

const SLEEP = { image: TEST_IMAGE, command: ['sleep', '300'], stop_grace_period: '1s' };

describe('compose runtime: a changed network or volume definition', () => {
  const fixtures = new EngineFixtures();
  const name = `rt-res-${fixtures.runId}`;
  const shared = `${name}-shared`;
  let t: TestApp;
  let runtime: ComposeRuntime;
  let containers: ContainersApi;
  let networks: NetworksApi;

  const stack = (back: Record<string, unknown>, data: Record<string, unknown> = {}) =>
    project(
      name,
      {
        api: { ...SLEEP, networks: { back: null, shared: null } },
        worker: {
          ...SLEEP,
          networks: { back: null },
          volumes: [{ type: 'volume', source: 'data', target: '/data' }],
        },
        web: { ...SLEEP },
      },
      {
        networks: {
          back: { name: `${name}_back`, ...back },
          shared: { name: shared, external: true },
        },
        volumes: { data: { name: `${name}_data`, ...data } },
      },
    );
  const ids = async (): Promise<Record<string, string>> => {
    const list = await fixtures.client.listContainers({
      label: [`com.docker.compose.project=${name}`],
    });
    return Object.fromEntries(list.map((c) => [(c.Names[0] ?? '').slice(1), c.Id]));
  };

  beforeAll(async () => {
    t = await startTestApp();
    runtime = runtimeFor(t);
    containers = new ContainersApi(fixtures.client);
    networks = new NetworksApi(fixtures.client);
    await networks.create({
      Name: shared,
      Driver: 'bridge',
      Internal: false,
      Attachable: false,
      CheckDuplicate: true,
      Labels: { [TEST_LABEL]: fixtures.runId },
    });
  });
  afterAll(async () => {
    await down(runtime, name);
    await t.close();
    await fixtures.cleanup();
  });

  it('recreates a network whose definition changed, with the containers on it, and leaves an external one alone', async () => {
    const first = await up(runtime, stack({ labels: { tier: 'one' } }));
    expect(first.outcome.ok).toBe(true);
    const before = await ids();
    const sharedBefore = await networks.find(shared);
    const backBefore = await networks.find(`${name}_back`);

    const changed = stack({ labels: { tier: 'two' }, internal: true, driver_opts: {} });
    const draft = await runtime.plan('local', changed);
    expect(draft.plan.unchanged).toBe(false);
    expect(draft.plan.resources.find((r) => r.name === `${name}_back`)).toMatchObject({
      kind: 'network',
      action: 'recreate',
      changes: ['internal', 'labels'],
    });
    expect(draft.plan.resources.find((r) => r.name === shared)?.action).toBe('external');
    const byService = Object.fromEntries(draft.plan.services.map((s) => [s.service, s]));
    expect(byService.api).toMatchObject({ action: 'recreate', changes: ['networks.back'] });
    expect(byService.worker).toMatchObject({ action: 'recreate', changes: ['networks.back'] });
    expect(byService.web?.action).toBe('unchanged');

    const second = await up(runtime, changed);
    expect(second.outcome.ok).toBe(true);
    const after = await ids();
    expect(after[`${name}-web-1`]).toBe(before[`${name}-web-1`]);
    expect(after[`${name}-api-1`]).not.toBe(before[`${name}-api-1`]);
    expect(after[`${name}-worker-1`]).not.toBe(before[`${name}-worker-1`]);
    const back = await networks.find(`${name}_back`);
    expect(back?.Id).not.toBe(backBefore?.Id);
    expect(back?.Internal).toBe(true);
    expect(back?.Labels?.tier).toBe('two');
    expect(
      Object.values(back?.Containers ?? {})
        .map((c) => c.Name)
        .sort(),
    ).toEqual([`${name}-api-1`, `${name}-worker-1`]);
    const sharedAfter = await networks.find(shared);
    expect(sharedAfter?.Id).toBe(sharedBefore?.Id);
    expect(Object.values(sharedAfter?.Containers ?? {}).map((c) => c.Name)).toEqual([
      `${name}-api-1`,
    ]);
    const api = await containers.inspect(`${name}-api-1`);
    expect(api.State.Running).toBe(true);
    expect((await runtime.plan('local', changed)).plan.unchanged).toBe(true);
  });

  it('refuses to recreate a network that a container outside the plan uses, before changing anything', async () => {
    const foreign = await fixtures.createContainer('on-back');
    await fixtures.start(foreign);
    await networks.connect(`${name}_back`, foreign);
    try {
      const backBefore = await networks.find(`${name}_back`);
      const before = await ids();
      const changed = stack({ labels: { tier: 'three' }, internal: true });
      const refused = await up(runtime, changed).catch((err: unknown) => err);
      expect(refused).toMatchObject({ status: 409, code: 'stack_conflict' });
      expect((refused as Error).message).toContain(fixtures.name('on-back'));
      expect(await ids()).toEqual(before);
      expect((await networks.find(`${name}_back`))?.Id).toBe(backBefore?.Id);
    } finally {
      await fixtures.remove(foreign);
    }
  });

  it('shows a changed volume as a conflict naming it and its fields, and refuses to apply', async () => {
    const current = stack({ labels: { tier: 'two' }, internal: true });
    expect((await runtime.plan('local', current)).plan.unchanged).toBe(true);
    const volumeBefore = await new VolumesApi(fixtures.client).find(`${name}_data`);
    const changed = stack(
      { labels: { tier: 'two' }, internal: true },
      { labels: { backup: 'nightly' }, driver_opts: { type: 'tmpfs', device: 'tmpfs' } },
    );
    const draft = await runtime.plan('local', changed);
    const conflict = draft.plan.resources.find((r) => r.name === `${name}_data`);
    expect(conflict).toMatchObject({
      kind: 'volume',
      action: 'conflict',
      changes: ['driver_opts', 'labels'],
    });
    expect(conflict?.message).toContain(`${name}_data`);
    expect(conflict?.message).toContain('driver_opts, labels');
    const before = await ids();
    const refused = await up(runtime, changed).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ status: 409, code: 'stack_conflict' });
    expect(await ids()).toEqual(before);
    const volumeAfter = await new VolumesApi(fixtures.client).find(`${name}_data`);
    expect(volumeAfter?.CreatedAt).toBe(volumeBefore?.CreatedAt);
  });
});
