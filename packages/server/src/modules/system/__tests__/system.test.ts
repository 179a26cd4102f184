import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

describe('system on a real engine', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let admin: ApiClient;
  let operator: ApiClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'sys-op', 'operator');
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('gives the engine version and disk usage on demand', async () => {
    const version = (await operator.get('/api/hosts/local/system/version')).json<{
      ApiVersion: string;
    }>();
    expect(version.ApiVersion).toMatch(/^1\.\d+$/);
    const df = (await operator.get('/api/hosts/local/system/df')).json<{
      images: { count: number; sizeBytes: number };
    }>();
    expect(df.images.count).toBeGreaterThanOrEqual(1);
    expect(df.images.sizeBytes).toBeGreaterThan(0);
  });

  it('keeps the last engine events, newest first', async () => {
    const id = await fixtures.createContainer('evt');
    await waitFor('the create event', async () => {
      const events = (await operator.get('/api/hosts/local/system/events?limit=50')).json<{
        events: { id: string; action: string }[];
      }>().events;
      return events.some((e) => e.id === id && e.action === 'create');
    });
  });

  it('lists what a prune would remove, and only for admins', async () => {
    const stopped = await fixtures.createContainer('stopped');
    await waitFor('in state', () => t.hosts.get('local')?.state.container(stopped));
    expect(
      (await operator.post('/api/hosts/local/system/prune', { dryRun: true })).statusCode,
    ).toBe(403);
    const dry = (await admin.post('/api/hosts/local/system/prune', { dryRun: true })).json<{
      containers: { removed: { id: string }[] };
      cli: string;
    }>();
    expect(dry.containers.removed.map((r) => r.id)).toContain(stopped);
    expect(dry.cli).toBe('docker system prune --force');
    expect(t.hosts.get('local')?.state.container(stopped)).toBeDefined();
  });
});
