import { ComposeProject, type ContainerCreated, type HostInfo } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startIsolatedEngine,
  type IsolatedEngine,
} from '../../../../../../scripts/lib/isolated-engine.mjs';
import { buildTestImages } from '../../../../../../scripts/lib/test-images.mjs';
import { EngineClient } from '../../../docker/engine-client.js';
import { ComposeRuntime } from '../../stacks/runtime/compose-runtime.js';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { TEST_IMAGE } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

/** On an engine of its own, so that other tests' containers do not move the count. */
describe('hardware-aware container limits', () => {
  let engine: IsolatedEngine;
  let t: TestApp;
  let admin: ApiClient;
  let profile: HostInfo['hardware'];

  beforeAll(async () => {
    engine = await startIsolatedEngine({ bridge: false, quiet: true });
    await buildTestImages(engine.socketPath);
    t = await startTestApp({ endpoint: { transport: 'unix', socketPath: engine.socketPath } });
    await t.hosts.get('local')?.state.whenSynced();
    admin = await setupAdmin(t.app);
    profile = (await admin.get('/api/hosts/local/info')).json<HostInfo>().hardware;
    // Fill the engine up to one below the recommended count, directly through the API.
    const client = new EngineClient({ transport: 'unix', socketPath: engine.socketPath });
    for (let i = 0; i < profile.recommendedContainers - 1; i += 8) {
      const batch = Array.from(
        { length: Math.min(8, profile.recommendedContainers - 1 - i) },
        (_, j) =>
          client.request('POST', '/containers/create', {
            query: { name: `filler-${i + j}` },
            body: { Image: TEST_IMAGE },
          }),
      );
      await Promise.all(batch);
    }
    await waitFor(
      'the state to count them',
      () => t.hosts.get('local')?.state.containers().length === profile.recommendedContainers - 1,
    );
    client.close();
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await engine.stop();
  });

  const create = (name: string) =>
    admin.post('/api/hosts/local/containers', { name, image: TEST_IMAGE, autoStart: false });

  it('creates silently up to the recommended count, then warns, then refuses past the max', async () => {
    const atRecommended = await create('at-recommended');
    expect(atRecommended.statusCode).toBe(201);
    expect(atRecommended.json<ContainerCreated>().warnings).toEqual([]);

    const past = await create('past-recommended');
    expect(past.json<ContainerCreated>().warnings[0]).toContain(
      `${profile.recommendedContainers} is recommended`,
    );

    const client = new EngineClient({ transport: 'unix', socketPath: engine.socketPath });
    const toMax = profile.maxContainers - profile.recommendedContainers - 1;
    for (let i = 0; i < toMax; i += 1) {
      await client.request('POST', '/containers/create', {
        query: { name: `more-${i}` },
        body: { Image: TEST_IMAGE },
      });
    }
    client.close();
    await waitFor(
      'state at the max',
      () => t.hosts.get('local')?.state.containers().length === profile.maxContainers,
    );

    const refused = await create('one-too-many');
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      error: { code: 'container_limit_reached', details: { max: profile.maxContainers } },
    });

    // A compose stack counts its new containers the same way, before it makes any.
    const runtime = new ComposeRuntime({
      hosts: t.hosts,
      creator: t.services.containerCreator,
      volumePolicy: t.services.hostSecurity,
      registries: t.services.registries,
      contentKey: Buffer.alloc(32, 7),
    });
    const stack = ComposeProject.parse({
      name: 'capacity',
      working_dir: '/tmp/capacity',
      config_files: ['/tmp/capacity/compose.yaml'],
      services: { a: { image: TEST_IMAGE }, b: { image: TEST_IMAGE } },
    });
    const draft = await runtime.plan('local', stack);
    const plan = { ...draft.plan, planId: 'p', createdAt: new Date().toISOString() };
    await expect(
      runtime.apply('local', stack, plan, { role: 'admin', onProgress: () => undefined }),
    ).rejects.toMatchObject({
      code: 'container_limit_reached',
      message: expect.stringContaining('2 more would pass') as unknown,
    });
    expect(t.hosts.get('local')?.state.containers()).toHaveLength(profile.maxContainers);
  });

  it('lets an admin lift the hard limit in settings, audited', async () => {
    expect((await admin.patch('/api/settings', { allowOverContainerLimit: true })).statusCode).toBe(
      200,
    );
    const allowed = await create('allowed-past-max');
    expect(allowed.statusCode).toBe(201);
    expect(allowed.json<ContainerCreated>().warnings[0]).toContain('Past the hard limit');
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'settings.update')
      .execute();
    expect(audit[0]?.details).toContain('allowOverContainerLimit');
  });
});
