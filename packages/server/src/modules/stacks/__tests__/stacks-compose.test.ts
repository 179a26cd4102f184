import { join } from 'node:path';
import type { StackDetail, StackOperationResult, StackPlan } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import { composeCli } from '../../../testing/docker-cli.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE } from '../../../testing/test-engine.js';

/** Berth's loader and runtime behind the routes, end to end, with the compose CLI as the reference. */
describe('stacks through the API on Berth’s compose engine', () => {
  const fixtures = new EngineFixtures();
  const name = `web-${fixtures.runId}`;
  const base = `/api/hosts/local/stacks/${name}`;
  let t: TestApp;
  let admin: ApiClient;

  const compose = (greeting: string): string =>
    [
      'version: "2.4"', // docker-compose v1 (the reference) needs it; compose v2 ignores it
      'services:',
      '  app:',
      `    image: ${TEST_IMAGE}`,
      '    command: ["sleep", "600"]',
      '    environment:',
      `      GREETING: ${greeting}`,
      '    depends_on: [db]',
      '    stop_grace_period: 1s',
      '  db:',
      `    image: ${TEST_IMAGE}`,
      '    command: ["sleep", "600"]',
      '    environment:',
      '      PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD in .env}',
      '    volumes: ["data:/data"]',
      '    stop_grace_period: 1s',
      'volumes:',
      '  data: {}',
      '',
    ].join('\n');

  const containers = async (): Promise<Map<string, { id: string; started: string }>> => {
    const list = await fixtures.client.listContainers({
      label: [`com.docker.compose.project=${name}`],
    });
    const out = new Map<string, { id: string; started: string }>();
    for (const c of list) {
      const inspect = await fixtures.client.request<{ State: { StartedAt: string } }>(
        'GET',
        `/containers/${c.Id}/json`,
      );
      out.set(c.Labels?.['com.docker.compose.service'] ?? '', {
        id: c.Id,
        started: inspect.State.StartedAt,
      });
    }
    return out;
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
  });

  afterAll(async () => {
    await admin.post(`${base}/down`, { removeVolumes: true });
    await t.close();
  });

  it('names the file, line and path of a problem, and writes nothing', async () => {
    const res = await admin.post('/api/hosts/local/stacks/validate', {
      name,
      files: { 'compose.yaml': compose('hi') },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ ok: boolean; issues: { file: string; message: string }[] }>();
    expect(body.ok).toBe(false);
    expect(body.issues[0]?.file).toBe('compose.yaml');
    expect(body.issues[0]?.message).toMatch(/DB_PASSWORD/);
    expect((await admin.get(base)).statusCode).toBe(404);
  });

  it('plans, applies, recreates only what changed, and a no-op up touches nothing', async () => {
    const created = await admin.post('/api/hosts/local/stacks', {
      name,
      files: { 'compose.yaml': compose('hello'), '.env': 'DB_PASSWORD=s3cret\n' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<StackDetail>().issues).toEqual([]);

    const config = await admin.get(`${base}/config`);
    expect(config.statusCode, config.body).toBe(200);
    expect(
      config.json<{ services: Record<string, { environment: object }> }>().services.db?.environment,
    ).toEqual({
      PASSWORD: 's3cret',
    });

    const planned = await admin.post(`${base}/plan`, {});
    expect(planned.statusCode, planned.body).toBe(200);
    const plan = planned.json<StackPlan>();
    expect(plan.services.map((s) => [s.service, s.action])).toEqual([
      ['db', 'create'],
      ['app', 'create'],
    ]);
    const up = await admin.post(`${base}/up`, { planId: plan.planId });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json<StackOperationResult>().ok).toBe(true);
    expect(up.json<StackOperationResult>().cli).toContain(`docker compose -p ${name}`);
    // A plan is applied once.
    expect((await admin.post(`${base}/up`, { planId: plan.planId })).statusCode).toBe(409);

    const first = await containers();
    expect([...first.keys()].sort()).toEqual(['app', 'db']);
    const detail = (await admin.get(base)).json<StackDetail>();
    expect(detail.state).toBe('running');

    // The compose CLI sees Berth's stack as its own.
    const folder = join(t.stacksDir, 'local', name);
    const ps = await composeCli(
      ['-p', name, 'ps', '--services', '--filter', 'status=running'],
      folder,
    );
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout.split('\n').filter(Boolean).sort()).toEqual(['app', 'db']);

    // One variable changed: only its service is recreated.
    const edited = await admin.request('PUT', base, {
      files: { 'compose.yaml': compose('bonjour') },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const second = (await admin.post(`${base}/plan`, {})).json<StackPlan>();
    const actions = Object.fromEntries(second.services.map((s) => [s.service, s]));
    expect(actions.app?.action).toBe('recreate');
    expect(actions.app?.changes).toContain('environment.GREETING');
    expect(actions.db?.action).toBe('unchanged');
    expect(
      (await admin.post(`${base}/up`, { planId: second.planId })).json<StackOperationResult>().ok,
    ).toBe(true);
    const after = await containers();
    expect(after.get('db')).toEqual(first.get('db'));
    expect(after.get('app')?.id).not.toBe(first.get('app')?.id);

    // Nothing changed: nothing is touched.
    const third = (await admin.post(`${base}/plan`, {})).json<StackPlan>();
    expect(third.unchanged).toBe(true);
    expect((await admin.post(`${base}/up`, {})).statusCode).toBe(200);
    expect(await containers()).toEqual(after);
  });

  it('the compose CLI takes a Berth stack down, and Berth sees it go', async () => {
    const folder = join(t.stacksDir, 'local', name);
    const down = await composeCli(['-p', name, 'down', '--volumes', '-t', '1'], folder);
    expect(down.code, down.stderr).toBe(0);
    expect(await containers()).toEqual(new Map());
    const networks = await fixtures.client.listNetworks({
      label: [`com.docker.compose.project=${name}`],
    });
    expect(networks).toEqual([]);
  });
});
