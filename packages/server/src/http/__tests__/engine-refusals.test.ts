import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin } from '../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { EngineFixtures, TEST_LABEL } from '../../testing/test-engine.js';
import { waitFor } from '../../testing/wait-for.js';

/** The engine refusing an object's state is the caller's conflict (409), not a 502. */
describe('engine refusals of state, against the real engine', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let admin: ApiClient;
  let container = '';
  let network = '';

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    container = await fixtures.createContainer('refusals');
    await fixtures.start(container);
    network = (
      await fixtures.client.request<{ Id: string }>('POST', '/networks/create', {
        body: { Name: fixtures.name('refusals'), Labels: { [TEST_LABEL]: fixtures.runId } },
      })
    ).Id;
    await waitFor('the running container in the engine state', () =>
      t.hosts
        .get('local')
        ?.state.containers()
        .some((c) => c.id === container && c.state === 'running'),
    );
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('unpausing a container that is not paused: 409 with the engine message', async () => {
    const res = await admin.post(`/api/hosts/local/containers/${container}/unpause`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: { code: 'engine_conflict', message: expect.stringContaining('not paused') },
    });
  });

  it('disconnecting a container that is not connected: 409 with the engine message', async () => {
    const res = await admin.post(`/api/hosts/local/networks/${network}/disconnect`, {
      container,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: { code: 'engine_conflict', message: expect.stringContaining('not connected') },
    });
  });
});
