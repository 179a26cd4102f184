import type { ContainerCreated, ContainerIncident } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import {
  EngineFixtures,
  OUT_OF_MEMORY,
  TEST_IMAGE,
  TEST_LABEL,
} from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { IncidentsRepository } from '../incidents-repository.js';

describe('health history against the real engine', () => {
  let t: TestApp;
  let admin: ApiClient;
  const fixtures = new EngineFixtures();

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    // The shared test engine may hold more containers than its hardware profile recommends.
    await admin.patch('/api/settings', { allowOverContainerLimit: true });
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  const timeline = async (ref: string, query = ''): Promise<ContainerIncident[]> => {
    const res = await admin.get(`/api/hosts/local/containers/${ref}/health-history${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ incidents: ContainerIncident[] }>().incidents;
  };

  it('records health changes once each, with the container labels, newest first', async () => {
    const name = fixtures.name('unhealthy');
    const created = {
      Id: await fixtures.createWith('unhealthy', {
        Cmd: ['sleep', '300'],
        Labels: { tier: 'web' },
        Healthcheck: { Test: ['CMD', 'false'], Interval: 100e6, Retries: 1, StartPeriod: 0 },
      }),
    };
    await fixtures.start(created.Id);
    const incidents = await waitFor('the unhealthy record', async () => {
      const found = await timeline(name);
      return found.some((i) => i.kind === 'health' && i.health === 'unhealthy') && found;
    });
    const health = incidents.filter((i) => i.kind === 'health');
    expect(health).toHaveLength(1);
    expect(health[0]).toMatchObject({
      containerId: created.Id,
      containerName: name,
      reason: 'Health: unhealthy',
      labels: { tier: 'web', [TEST_LABEL]: fixtures.runId },
    });
    expect(incidents.at(-1)?.kind).toBe('start');
    // By id prefix too; a host's feed filters by kind.
    expect((await timeline(created.Id.slice(0, 12))).length).toBe(incidents.length);
    const feed = await admin.get('/api/hosts/local/incidents?kind=health');
    expect(
      feed.json<{ incidents: ContainerIncident[] }>().incidents.every((i) => i.kind === 'health'),
    ).toBe(true);
  });

  it('records a start that fails its validation, and keeps the history after the container is gone', async () => {
    const name = fixtures.name('fails-start');
    const res = await admin.post('/api/hosts/local/containers', {
      name,
      image: TEST_IMAGE,
      command: ['sh', '-c', 'exit 7'],
      labels: { [TEST_LABEL]: fixtures.runId },
      validateSeconds: 10,
    });
    expect(res.statusCode, res.body).toBe(201);
    const { container, validation } = res.json<ContainerCreated>();
    const { id } = container;
    expect(validation?.ok).toBe(false);
    const incidents = await waitFor('the failure record', async () => {
      const found = await timeline(name);
      return found.some((i) => i.kind === 'post_start_failure') && found;
    });
    expect(incidents.find((i) => i.kind === 'post_start_failure')).toMatchObject({
      containerId: id,
      exitCode: 7,
      reason: 'The container stopped with exit code 7',
    });
    expect(incidents.find((i) => i.kind === 'exit')).toMatchObject({ exitCode: 7 });
    await fixtures.remove(id);
    await waitFor('the removal', () => !t.hosts.get('local')?.state.container(id));
    expect((await timeline(name)).length).toBe(incidents.length);
  });

  it('records an OOM kill with its exit', async () => {
    const name = fixtures.name('oom');
    const created = { Id: await fixtures.createWith('oom', OUT_OF_MEMORY) };
    await fixtures.start(created.Id);
    const incidents = await waitFor('the OOM record', async () => {
      const found = await timeline(name);
      return found.some((i) => i.kind === 'oom') && found.some((i) => i.kind === 'exit') && found;
    });
    expect(incidents.find((i) => i.kind === 'oom')).toMatchObject({
      containerId: created.Id,
      reason: 'Killed: out of memory',
    });
    expect(incidents.find((i) => i.kind === 'exit')?.exitCode).toBe(137);
  });

  it('answers 404 for a container with no history and 400 naming a bad query field', async () => {
    const missing = await admin.get('/api/hosts/local/containers/no-such-thing/health-history');
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ error: { code: string } }>().error.code).toBe('container_not_found');
    const bad = await admin.get('/api/hosts/local/incidents?kind=boom');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('query.kind');
    const since = await admin.get('/api/hosts/local/incidents?since=yesterday');
    expect(since.statusCode).toBe(400);
    expect(since.body).toContain('query.since');
  });

  it('bounds what it keeps: by age, and by count per host', async () => {
    const repository = new IncidentsRepository(t.db);
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
    for (let i = 0; i < 5; i += 1)
      await repository.insert({
        id: `retention-${i}`,
        hostId: 'retention-host',
        containerId: 'c1',
        containerName: 'old',
        kind: 'exit',
        at: at(100 - i * 10),
        reason: 'Exited with code 1',
        exitCode: 1,
        health: null,
        labels: {},
      });
    await repository.prune(at(75), 2);
    const kept = await repository.list('retention-host', { limit: 10 });
    expect(kept.map((i) => i.id)).toEqual(['retention-4', 'retention-3']);
  });
});
