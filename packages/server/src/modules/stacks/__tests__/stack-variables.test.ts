import type { StackVariables } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';

const url = '/api/hosts/local/stack-variables';
const base = '/api/hosts/local/stacks';
const COMPOSE =
  'services:\n  web:\n    image: nginx:${TAG}\n    environment:\n      GREETING: ${GREETING}\n      TOKEN: ${TOKEN}\n';

type Config = { services: Record<string, { image: string; environment: Record<string, string> }> };

describe("Berth's global stack variables per host", () => {
  let t: TestApp;
  let admin: ApiClient;
  let viewer: ApiClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    viewer = await tokenFor(await userSession(admin, 'vars-viewer', 'viewer'));
  });
  afterAll(async () => {
    await t.close();
  });

  const put = (client: ApiClient, variables: unknown) => client.request('PUT', url, { variables });

  it('stores them per host, a secret one sealed at rest and masked to non-admins', async () => {
    const res = await put(admin, [
      { name: 'TAG', value: '1.27' },
      { name: 'GREETING', value: 'from-berth' },
      { name: 'TOKEN', value: 'hunter2', secret: true },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<StackVariables>().variables).toContainEqual({
      name: 'TOKEN',
      value: 'hunter2',
      secret: true,
    });

    const stored = await t.db.selectFrom('stack_variables').selectAll().execute();
    const token = stored.find((r) => r.name === 'TOKEN');
    expect(token?.secret).toBe(1);
    expect(token?.value).not.toContain('hunter2');
    expect(stored.find((r) => r.name === 'TAG')?.value).toBe('1.27');

    const seen = (await viewer.get(url)).json<StackVariables>().variables;
    expect(seen).toEqual([
      { name: 'GREETING', value: 'from-berth', secret: false },
      { name: 'TAG', value: '1.27', secret: false },
      { name: 'TOKEN', value: null, secret: true },
    ]);
    expect((await admin.get(url)).json<StackVariables>().variables).toContainEqual({
      name: 'TOKEN',
      value: 'hunter2',
      secret: true,
    });
  });

  it('lets only admins write them, and names a bad field', async () => {
    expect((await put(viewer, [])).statusCode).toBe(403);
    const bad = await put(admin, [{ name: '1X', value: 'a' }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('variables.0.name');
    const twice = await put(admin, [
      { name: 'A', value: '1' },
      { name: 'A', value: '2' },
    ]);
    expect(twice.statusCode).toBe(400);
    expect(twice.body).toContain('variables.1.name');
  });

  it("interpolates ${X} in the host's stacks, the stack's .env overriding them", async () => {
    const created = await admin.post(base, { name: 'vars', files: { 'compose.yaml': COMPOSE } });
    expect(created.statusCode, created.body).toBe(201);
    const before = (await admin.get(`${base}/vars/config`)).json<Config>().services.web;
    expect(before?.image).toBe('nginx:1.27');
    // A secret variable's value is masked in what config answers (it still reaches the container).
    expect(before?.environment).toEqual({ GREETING: 'from-berth', TOKEN: '********' });

    const env = await admin.request('PUT', `${base}/vars/files/.env`, {
      content: 'GREETING=from-dotenv\n',
    });
    expect(env.statusCode).toBe(200);
    const after = (await admin.get(`${base}/vars/config`)).json<Config>().services.web;
    expect(after?.environment).toEqual({ GREETING: 'from-dotenv', TOKEN: '********' });
  });

  it('audits a change with the names only, never a value', async () => {
    const res = await admin.get('/api/audit?limit=200');
    const entries = res
      .json<{ entries: { action: string; details: unknown }[] }>()
      .entries.filter((e) => e.action === 'stack.variables');
    expect(entries.map((e) => e.details)).toContainEqual({
      names: ['TAG', 'GREETING', 'TOKEN'],
      secret: ['TOKEN'],
    });
    expect(JSON.stringify(entries)).not.toContain('hunter2');
  });
});
