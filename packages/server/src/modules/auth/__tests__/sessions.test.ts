import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  ApiClient,
  browser,
  login,
  sessionCookieOf,
  setupAdmin,
} from '../../../testing/api-client.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../../testing/test-app.js';

describe('login, sessions and logout', () => {
  let t: TestApp;
  let clock = Date.now();
  let anon: ApiClient;
  beforeAll(async () => {
    t = await startTestApp({
      endpoint: NO_ENGINE,
      now: () => clock,
      security: { sessionIdleMs: 30 * 60_000, sessionMaxMs: 8 * 3_600_000 },
    });
    await setupAdmin(t.app);
    anon = new ApiClient(t.app);
  });
  afterAll(() => t.close());

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const unknown = await anon.post('/api/auth/login', {
      username: 'nobody',
      password: 'whatever-password',
    });
    const wrong = await anon
      .from('10.9.9.9')
      .post('/api/auth/login', { username: 'admin', password: 'wrong-password!!' });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(unknown.cookies).toHaveLength(0);
  });

  it('issues a new session id at every login, even when one is presented', async () => {
    const first = await login(t.app, ADMIN.username, ADMIN.password);
    const res = await first.post('/api/auth/login', ADMIN);
    expect(res.statusCode).toBe(200);
    const second = sessionCookieOf(res);
    expect(second).not.toBe(first.headers.cookie?.replace('berth_session=', ''));
    expect((await browser(t.app, second).get('/api/me')).statusCode).toBe(200);
  });

  it('lists your sessions, marks the current one, and revokes another', async () => {
    const a = await login(t.app, ADMIN.username, ADMIN.password);
    const b = await login(t.app, ADMIN.username, ADMIN.password);
    const list = (await a.get('/api/me/sessions')).json<{
      sessions: { id: string; current: boolean }[];
    }>();
    const current = list.sessions.filter((s) => s.current);
    expect(current).toHaveLength(1);
    const bId = (await b.get('/api/me/sessions'))
      .json<{ sessions: { id: string; current: boolean }[] }>()
      .sessions.find((s) => s.current)?.id;
    expect(bId).toBeDefined();
    expect((await a.delete(`/api/me/sessions/${bId ?? ''}`)).statusCode).toBe(204);
    expect((await b.get('/api/me')).statusCode).toBe(401);
    expect((await a.delete('/api/me/sessions/not-a-session')).statusCode).toBe(404);
  });

  it('ends all your other sessions at once', async () => {
    const keep = await login(t.app, ADMIN.username, ADMIN.password);
    const others = [
      await login(t.app, ADMIN.username, ADMIN.password),
      await login(t.app, ADMIN.username, ADMIN.password),
    ];
    const res = await keep.delete('/api/me/sessions');
    expect(res.statusCode).toBe(200);
    expect(res.json<{ ended: number }>().ended).toBeGreaterThanOrEqual(2);
    for (const other of others) expect((await other.get('/api/me')).statusCode).toBe(401);
    expect((await keep.get('/api/me/sessions')).json()).toMatchObject({
      sessions: [{ current: true }],
    });
  });

  it('ends a session at logout and clears the cookie', async () => {
    const session = await login(t.app, ADMIN.username, ADMIN.password);
    const res = await session.post('/api/auth/logout');
    expect(res.statusCode).toBe(204);
    const cleared = res.cookies.find((c) => c.name === 'berth_session');
    expect(cleared?.value).toBe('');
    expect((await session.get('/api/me')).statusCode).toBe(401);
  });

  it('expires a session after the idle timeout', async () => {
    const session = await login(t.app, ADMIN.username, ADMIN.password);
    clock += 29 * 60_000;
    expect((await session.get('/api/me')).statusCode).toBe(200);
    clock += 29 * 60_000; // active 29 minutes ago: still inside the idle window
    expect((await session.get('/api/me')).statusCode).toBe(200);
    clock += 31 * 60_000;
    expect((await session.get('/api/me')).statusCode).toBe(401);
  });

  it('expires a session at the absolute timeout however active it is', async () => {
    const session = await login(t.app, ADMIN.username, ADMIN.password);
    // Every step stays inside the 30-minute idle window; only the 8-hour limit can end it.
    for (let minutes = 25; minutes <= 475; minutes += 25) {
      clock += 25 * 60_000;
      expect((await session.get('/api/me')).statusCode, `after ${minutes} minutes`).toBe(200);
    }
    clock += 25 * 60_000; // 500 minutes: past 8 hours
    expect((await session.get('/api/me')).statusCode).toBe(401);
  });

  it('changes the password, ending the other sessions', async () => {
    const keep = await login(t.app, ADMIN.username, ADMIN.password);
    const other = await login(t.app, ADMIN.username, ADMIN.password);
    const wrong = await keep.post('/api/me/password', {
      currentPassword: 'not-it-at-all',
      newPassword: 'a brand new password',
    });
    expect(wrong.statusCode).toBe(403);
    const short = await keep.post('/api/me/password', {
      currentPassword: ADMIN.password,
      newPassword: 'short',
    });
    expect(short.json()).toMatchObject({
      error: { details: { issues: [{ field: 'body.newPassword' }] } },
    });
    const ok = await keep.post('/api/me/password', {
      currentPassword: ADMIN.password,
      newPassword: 'a brand new password',
    });
    expect(ok.statusCode).toBe(204);
    expect((await other.get('/api/me')).statusCode).toBe(401);
    expect((await keep.get('/api/me')).statusCode).toBe(200);
    await login(t.app, ADMIN.username, 'a brand new password');
    await keep.post('/api/me/password', {
      currentPassword: 'a brand new password',
      newPassword: ADMIN.password,
    });
  });

  it('audits logins, failures and logouts', async () => {
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'username'])
      .where('action', 'like', 'auth.%')
      .execute();
    expect(rows).toEqual(
      expect.arrayContaining([
        { action: 'auth.login', outcome: 'denied', username: 'nobody' },
        { action: 'auth.login', outcome: 'denied', username: 'admin' },
        { action: 'auth.login', outcome: 'success', username: 'admin' },
        { action: 'auth.logout', outcome: 'success', username: 'admin' },
      ]),
    );
  });
});
