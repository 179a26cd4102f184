import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin } from '../../testing/api-client.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../testing/test-app.js';

/** Every bad input is a 4xx that names what is wrong, and leaves nothing behind. */
describe('bad input', () => {
  let t: TestApp;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE });
    admin = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  const snapshot = async () =>
    JSON.stringify({
      users: await t.db.selectFrom('users').select(['id', 'username', 'role']).execute(),
      tokens: await t.db.selectFrom('api_tokens').select(['id', 'name']).execute(),
      settings: await t.db.selectFrom('settings').selectAll().execute(),
    });

  const cases: {
    name: string;
    method: 'POST' | 'PATCH';
    url: string;
    body: unknown;
    field?: string;
  }[] = [
    {
      name: 'wrong type',
      method: 'POST',
      url: '/api/users',
      body: { username: 'x1x', password: 12345678901234, role: 'viewer' },
      field: 'body.password',
    },
    {
      name: 'missing field',
      method: 'POST',
      url: '/api/users',
      body: { username: 'someone', role: 'viewer' },
      field: 'body.password',
    },
    {
      name: 'unknown role',
      method: 'POST',
      url: '/api/users',
      body: { username: 'someone', password: 'long-enough-pass', role: 'root' },
      field: 'body.role',
    },
    {
      name: 'unknown field',
      method: 'POST',
      url: '/api/users',
      body: { username: 'someone', password: 'long-enough-pass', role: 'viewer', isAdmin: true },
    },
    {
      name: 'SQL in a username',
      method: 'POST',
      url: '/api/users',
      body: { username: "x'; DROP TABLE users; --", password: 'long-enough-pass', role: 'viewer' },
      field: 'body.username',
    },
    {
      name: 'shell in a username',
      method: 'POST',
      url: '/api/users',
      body: { username: '$(touch /tmp/berth-pwned)', password: 'long-enough-pass', role: 'viewer' },
      field: 'body.username',
    },
    {
      name: 'unicode look-alike username',
      method: 'POST',
      url: '/api/users',
      body: { username: 'аdmin', password: 'long-enough-pass', role: 'admin' },
      field: 'body.username',
    },
    {
      name: 'NUL in a username',
      method: 'POST',
      url: '/api/users',
      body: { username: 'ad\u0000min', password: 'long-enough-pass', role: 'viewer' },
      field: 'body.username',
    },
    {
      name: 'a host id with a path',
      method: 'POST',
      url: '/api/users',
      body: { username: 'pathy', password: 'long-enough-pass', role: 'viewer', hosts: ['../etc'] },
      field: 'body.hosts.0',
    },
    { name: 'array instead of object', method: 'POST', url: '/api/me/tokens', body: [1, 2, 3] },
    {
      name: 'empty token name',
      method: 'POST',
      url: '/api/me/tokens',
      body: { name: '   ' },
      field: 'body.name',
    },
    {
      name: 'bad date',
      method: 'POST',
      url: '/api/me/tokens',
      body: { name: 'x', expiresAt: 'tomorrow' },
      field: 'body.expiresAt',
    },
    {
      name: 'retention out of range',
      method: 'PATCH',
      url: '/api/settings',
      body: { auditRetentionDays: 0 },
      field: 'body.auditRetentionDays',
    },
    {
      name: 'setting of the wrong type',
      method: 'PATCH',
      url: '/api/settings',
      body: { require2faForAdmins: 'yes' },
      field: 'body.require2faForAdmins',
    },
    { name: 'unknown setting', method: 'PATCH', url: '/api/settings', body: { debug: true } },
  ];

  for (const c of cases) {
    it(`${c.name}: 400 naming the field, nothing stored`, async () => {
      const before = await snapshot();
      const res = await admin.request(c.method, c.url, c.body);
      expect(res.statusCode).toBe(400);
      const error = res.json<{
        error: { code: string; details: { issues: { field: string }[] } };
      }>().error;
      expect(error.code).toBe('validation_failed');
      if (c.field) expect(error.details.issues.map((i) => i.field)).toContain(c.field);
      expect(await snapshot()).toBe(before);
    });
  }

  it('malformed JSON and the wrong content type are 4xx in the one error shape', async () => {
    const broken = await admin.request('POST', '/api/users', '{"username":', {
      'content-type': 'application/json',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toHaveProperty('error.code');
    const xml = await admin.request('POST', '/api/users', '<user/>', {
      'content-type': 'application/xml',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('stores injection-like text verbatim where text is allowed, and runs none of it', async () => {
    const name = `'; DROP TABLE api_tokens; -- $(touch /tmp/berth-pwned) 📦 ünïcødé`;
    const res = await admin.post('/api/me/tokens', { name });
    expect(res.statusCode).toBe(201);
    const tokens = (await admin.get('/api/me/tokens')).json<{ tokens: { name: string }[] }>()
      .tokens;
    expect(tokens.map((x) => x.name)).toContain(name);
    expect(existsSync('/tmp/berth-pwned')).toBe(false);
  });

  it('refuses injection-like text in query and path parameters', async () => {
    expect((await admin.get('/api/audit?before=1;DROP TABLE audit_log')).statusCode).toBe(400);
    expect((await admin.get('/api/hosts/..%2F..%2Fetc/info')).statusCode).toBe(400);
    const long = await admin.get(`/api/users/${'x'.repeat(200)}`);
    expect(long.statusCode).toBe(414);
    expect(long.json()).toMatchObject({ error: { code: 'uri_too_long' } });
  });
});
