import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';
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

  it('leaves the execs of health probes out of the events unless asked, and keeps other execs', async () => {
    const { Id: id } = await fixtures.client.request<{ Id: string }>('POST', '/containers/create', {
      query: { name: fixtures.name('probed') },
      body: {
        Image: TEST_IMAGE,
        Cmd: ['sleep', '300'],
        Labels: { [TEST_LABEL]: fixtures.runId },
        StopTimeout: 1,
        Healthcheck: { Test: ['CMD-SHELL', 'test -d /'], Interval: 100_000_000 },
      },
    });
    await fixtures.start(id);
    // Someone's own exec in the same container stays in the list.
    const { Id: execId } = await fixtures.client.request<{ Id: string }>(
      'POST',
      `/containers/${id}/exec`,
      { body: { Cmd: ['echo', 'by hand'] } },
    );
    await fixtures.client.request('POST', `/exec/${execId}/start`, { body: { Detach: true } });
    type Listed = { events: { id: string; action: string }[] };
    const ofContainer = async (query: string): Promise<string[]> =>
      (await operator.get(`/api/hosts/local/system/events?limit=500${query}`))
        .json<Listed>()
        .events.filter((e) => e.id === id)
        .map((e) => e.action);
    const all = await waitFor('two probes and the exec by hand', async () => {
      const actions = await ofContainer('&includeHealthChecks=true');
      const probes = actions.filter((a) => a === 'exec_start: /bin/sh -c test -d /');
      return probes.length >= 2 && actions.includes('exec_die') ? actions : undefined;
    });
    expect(all).toContain('exec_start: echo by hand');
    const quiet = await ofContainer('');
    expect(quiet.filter((a) => a.includes('test -d /'))).toEqual([]);
    expect(quiet).toContain('exec_create: echo by hand');
    expect(quiet).toContain('start');
    // exec_die of a probe goes too; the one of the exec by hand (when it has died) stays.
    expect(quiet.filter((a) => a === 'exec_die').length).toBeLessThanOrEqual(1);
    expect(
      (await operator.get('/api/hosts/local/system/events?includeHealthChecks=yes')).statusCode,
    ).toBe(400);
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
