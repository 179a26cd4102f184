import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ApiClient, SAME_ORIGIN, sessionCookieOf } from '../../../testing/api-client.js';
import {
  TEST_SETUP_TOKEN,
  NO_ENGINE,
  startTestApp,
  type TestApp,
} from '../../../testing/test-app.js';

describe('first run', () => {
  let t: TestApp;
  let anon: ApiClient;
  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE });
    anon = new ApiClient(t.app);
  });
  afterAll(() => t.close());

  const userCount = async (): Promise<number> =>
    Number(
      (
        await t.db
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers every API route but health and setup with 403 setup_required', async () => {
    for (const url of ['/api/hosts', '/api/me', '/api/users', '/api/audit', '/api/openapi.json']) {
      const res = await anon.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json(), url).toMatchObject({ error: { code: 'setup_required' } });
    }
    expect((await anon.get('/api/health')).statusCode).toBe(200);
    expect((await anon.get('/api/setup')).json()).toEqual({ required: true });
  });

  it('refuses a wrong setup token and creates nothing', async () => {
    const res = await anon.post('/api/setup', { ...ADMIN, setupToken: 'guessed-token-guessed' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_setup_token' } });
    expect(await userCount()).toBe(0);
  });

  it('refuses a short password, naming the field, and creates nothing', async () => {
    const res = await anon.post('/api/setup', {
      username: 'admin',
      password: 'short',
      setupToken: TEST_SETUP_TOKEN,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'validation_failed', details: { issues: [{ field: 'body.password' }] } },
    });
    expect(await userCount()).toBe(0);
  });

  it('creates the first admin with the right token and signs them in', async () => {
    const res = await anon.post('/api/setup', { ...ADMIN, setupToken: TEST_SETUP_TOKEN });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      user: { username: 'admin', role: 'admin' },
      auth: 'session',
    });
    const cookie = res.cookies.find((c) => c.name === 'berth_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const me = await anon.request('GET', '/api/me', undefined, {
      cookie: `berth_session=${sessionCookieOf(res)}`,
      origin: SAME_ORIGIN,
    });
    expect(me.json()).toMatchObject({ user: { username: 'admin' }, effectiveRole: 'admin' });
  });

  it('answers 409 to a second setup, and the gate is open', async () => {
    const res = await anon.post('/api/setup', {
      username: 'intruder',
      password: 'intruder-password',
      setupToken: TEST_SETUP_TOKEN,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'setup_done' } });
    expect(await userCount()).toBe(1);
    expect((await anon.get('/api/setup')).json()).toEqual({ required: false });
    expect((await anon.get('/api/hosts')).statusCode).toBe(401);
  });

  it('audits each setup attempt', async () => {
    const rows = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'setup')
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.outcome, r.status])).toEqual([
      ['denied', 403],
      ['failure', 400],
      ['success', 201],
      ['failure', 409],
    ]);
    expect(rows[2]).toMatchObject({ username: 'admin', ip: '127.0.0.1' });
  });
});
