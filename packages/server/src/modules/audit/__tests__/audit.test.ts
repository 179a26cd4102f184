import type { AuditEntry } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../../testing/test-app.js';
import { csvField } from '../audit-csv.js';

describe('audit log', () => {
  let t: TestApp;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE });
    admin = await setupAdmin(t.app);
    const viewer = await userSession(admin, '=cmd|calc', 'viewer').catch(() => null);
    expect(viewer).toBeNull(); // not a valid username; the attempt is audited as a failure
    const vic = await userSession(admin, 'vic', 'viewer');
    await vic.get('/api/users'); // denied: viewer on an admin route
    await vic.post('/api/me/tokens', { name: '=HYPERLINK("http://x")' });
    await new ApiClient(t.app).post('/api/auth/login', {
      username: 'vic',
      password: 'not-the-password',
    });
    await new ApiClient(t.app).post('/api/auth/login', {
      username: '=HYPERLINK("http://x")',
      password: 'whatever-password',
    });
  });
  afterAll(() => t.close());

  const page = async (query: string) =>
    (await admin.get(`/api/audit${query}`)).json<{
      entries: AuditEntry[];
      nextBefore: number | null;
    }>();

  it('records who, from where, what, on what and how it ended', async () => {
    const { entries } = await page('?limit=500');
    const login = entries.find(
      (e) => e.action === 'auth.login' && e.outcome === 'denied' && e.target === 'vic',
    );
    expect(login).toMatchObject({ username: 'vic', ip: '127.0.0.1', target: 'vic', status: 401 });
    const denied = entries.find((e) => e.action === 'permission.denied');
    expect(denied).toMatchObject({
      username: 'vic',
      outcome: 'denied',
      status: 403,
      details: { route: 'GET /api/users' },
    });
    const token = entries.find((e) => e.action === 'token.create');
    expect(token).toMatchObject({ username: 'vic', outcome: 'success' });
    expect(entries[0]?.id).toBeGreaterThan(entries.at(-1)?.id ?? Infinity);
  });

  it('filters by user, action prefix, outcome and time', async () => {
    expect((await page('?user=vic')).entries.every((e) => e.username === 'vic')).toBe(true);
    const auth = (await page('?action=auth.')).entries;
    expect(auth.length).toBeGreaterThan(0);
    expect(auth.every((e) => e.action.startsWith('auth.'))).toBe(true);
    expect((await page('?outcome=denied')).entries.every((e) => e.outcome === 'denied')).toBe(true);
    expect((await page(`?from=${new Date(Date.now() + 60_000).toISOString()}`)).entries).toEqual(
      [],
    );
    const bad = await admin.get('/api/audit?outcome=maybe&limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('pages with a cursor and no overlap', async () => {
    const all = (await page('?limit=500')).entries.map((e) => e.id);
    const first = await page('?limit=3');
    const second = await page(`?limit=3&before=${first.nextBefore ?? 0}`);
    expect([...first.entries, ...second.entries].map((e) => e.id)).toEqual(all.slice(0, 6));
  });

  it('exports CSV with formula cells neutralised, and JSON', async () => {
    const csv = await admin.get('/api/audit/export?format=csv&action=auth.login');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(
      /attachment; filename="berth-audit-.*\.csv"/,
    );
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,username,userId,tokenId,ip,userAgent,action,target,outcome,status,details',
    );
    expect(lines.length).toBeGreaterThan(2);
    // The attacker-chosen username is in the username and target cells, neutralised.
    expect(csv.body).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv.body).not.toMatch(/(^|,)"?=HYPERLINK/m);

    const json = await admin.get('/api/audit/export?format=json');
    const entries = JSON.parse(json.body) as AuditEntry[];
    expect(entries.length).toBe((await page('?limit=500')).entries.length);
    expect(entries[0]?.id).toBeLessThan(entries.at(-1)?.id ?? 0);
  });

  it('escapes CSV fields correctly', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField(null)).toBe('');
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
  });

  it('offers no way to change or delete entries', async () => {
    for (const method of ['DELETE', 'PATCH', 'PUT', 'POST'] as const) {
      const res = await admin.request(method, '/api/audit', {});
      expect(res.statusCode, method).toBe(404);
    }
    expect((await admin.request('DELETE', '/api/audit/1')).statusCode).toBe(404);
  });

  it('prunes entries past the retention period, and nothing newer', async () => {
    await t.db
      .insertInto('audit_log')
      .values({
        at: new Date(Date.now() - 100 * 86_400_000).toISOString(),
        action: 'old.thing',
        outcome: 'success',
      })
      .execute();
    const before = (await page('?limit=500')).entries.length;
    expect(await t.services.audit.prune(90)).toBe(1);
    expect((await page('?limit=500')).entries.length).toBe(before - 1);
    expect((await page('?action=old.thing')).entries).toEqual([]);
  });

  it('is for admins only', async () => {
    const viewer = await userSession(admin, 'valerie', 'viewer');
    expect((await viewer.get('/api/audit')).statusCode).toBe(403);
    expect((await viewer.get('/api/audit/export')).statusCode).toBe(403);
  });
});
