import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';

/** A host that is not in a swarm (the shared test engine): every swarm route says so plainly. */
describe('swarm routes on a host that is not a manager', () => {
  let t: TestApp;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await tokenFor(await setupAdmin(t.app));
  });
  afterAll(() => t.close());

  it('answers 409 not_swarm_manager, naming the host, and lists networks without services', async () => {
    for (const path of ['services', 'tasks', 'secrets', 'configs', 'services/web']) {
      const res = await admin.get(`/api/hosts/local/${path}`);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(409);
      const error = res.json<{ error: { code: string; message: string } }>().error;
      expect(error.code).toBe('not_swarm_manager');
      expect(error.message).toMatch(/^local is not a swarm manager/);
    }
    const created = await admin.post('/api/hosts/local/secrets', { name: 'x', value: 'y' });
    expect(created.statusCode).toBe(409);
    const networks = (await admin.get('/api/hosts/local/networks')).json<{
      networks: { services?: unknown }[];
    }>().networks;
    expect(networks.every((n) => n.services === undefined)).toBe(true);
  });
});
