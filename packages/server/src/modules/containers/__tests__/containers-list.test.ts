import { ContainerList } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { setupAdmin, type ApiClient } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { waitFor } from '../../../testing/wait-for.js';

describe('GET /api/hosts/:host/containers', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let admin: ApiClient;
  let running: string;
  let created: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    running = await fixtures.createContainer('web', ['httpd', '-f', '-p', '8080'], {
      'io.berth.managed': 'true',
      'com.docker.compose.project': 'shop',
      'com.docker.compose.service': 'web',
    });
    await fixtures.start(running);
    created = await fixtures.createContainer('idle');
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  const list = async (query = ''): Promise<ContainerList['containers']> => {
    const res = await admin.get(`/api/hosts/local/containers${query}`);
    expect(res.statusCode).toBe(200);
    return ContainerList.parse(res.json()).containers;
  };

  it('lists running and stopped containers from the live state', async () => {
    await waitFor('both containers', async () => {
      const all = await list();
      return (
        all.some((c) => c.id === running && c.state === 'running') &&
        all.some((c) => c.id === created)
      );
    });
    const all = await list();
    const web = all.find((c) => c.id === running);
    expect(web).toMatchObject({
      name: fixtures.name('web'),
      image: 'berth-test/busybox:1',
      state: 'running',
      managed: true,
      composeProject: 'shop',
      composeService: 'web',
      health: null,
    });
    expect(web?.imageId).toMatch(/^sha256:/);
    expect(web?.status).toMatch(/^Up/);
    expect(all.find((c) => c.id === created)).toMatchObject({
      state: 'created',
      managed: false,
      composeProject: null,
    });
  });

  it('gives an exited container its exit code, finish time, restarts and OOM flag', async () => {
    const failed = await fixtures.createContainer('fails', ['sh', '-c', 'exit 3']);
    await fixtures.start(failed);
    await waitFor('the exit in the list', async () =>
      (await list()).some((c) => c.id === failed && c.exitCode === 3),
    );
    const entry = (await list()).find((c) => c.id === failed);
    expect(entry).toMatchObject({
      state: 'exited',
      exitCode: 3,
      restartCount: 0,
      oomKilled: false,
    });
    expect(entry?.status).toMatch(/^Exited \(3\) /);
    expect(Date.parse(entry?.finishedAt ?? '')).toBeGreaterThan(Date.parse(entry?.created ?? ''));
    expect((await list()).find((c) => c.id === running)).toMatchObject({
      exitCode: null,
      finishedAt: null,
    });
  });

  it('lists only running containers with all=false', async () => {
    const onlyRunning = await list('?all=false');
    expect(onlyRunning.some((c) => c.id === running)).toBe(true);
    expect(onlyRunning.some((c) => c.id === created)).toBe(false);
    expect(onlyRunning.every((c) => c.state === 'running')).toBe(true);
  });

  it('rejects a bad query value naming the field', async () => {
    const res = await admin.get('/api/hosts/local/containers?all=maybe');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'validation_failed', details: { issues: [{ field: 'query.all' }] } },
    });
  });

  it('answers 404 for an unknown host', async () => {
    const res = await admin.get('/api/hosts/nowhere/containers');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'host_not_found' } });
  });
});
