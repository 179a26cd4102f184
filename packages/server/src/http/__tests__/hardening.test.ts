import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  ApiClient,
  SAME_ORIGIN,
  login,
  setupAdmin,
  tokenFor,
} from '../../testing/api-client.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../testing/test-app.js';

describe('general API rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE, security: { apiRateLimitPerMinute: 5 } });
  });
  afterAll(() => t.close());

  it('answers 429 once a caller passes the per-minute limit', async () => {
    const anon = new ApiClient(t.app).from('203.0.113.5');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await anon.get('/api/setup')).statusCode);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});

describe('CSRF and security headers', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE });
    await setupAdmin(t.app);
    cookie = (await login(t.app, ADMIN.username, ADMIN.password)).headers.cookie ?? '';
  });
  afterAll(() => t.close());

  const withCookie = (headers: Record<string, string>) =>
    new ApiClient(t.app, { cookie, ...headers });

  it('refuses cookie-authenticated changes without a same-origin Origin or Referer', async () => {
    const none = await withCookie({}).post('/api/me/tokens', { name: 'x' });
    expect(none.statusCode).toBe(403);
    expect(none.json()).toMatchObject({ error: { code: 'csrf_rejected' } });
    const evil = await withCookie({ origin: 'https://evil.example' }).post('/api/me/tokens', {
      name: 'x',
    });
    expect(evil.statusCode).toBe(403);
    const evilReferer = await withCookie({ referer: 'https://evil.example/page' }).post(
      '/api/me/tokens',
      { name: 'x' },
    );
    expect(evilReferer.statusCode).toBe(403);
    expect(await t.db.selectFrom('api_tokens').selectAll().execute()).toHaveLength(0);

    expect(
      (await withCookie({ origin: SAME_ORIGIN }).post('/api/me/tokens', { name: 'ok' })).statusCode,
    ).toBe(201);
    expect(
      (
        await withCookie({ referer: `${SAME_ORIGIN}/settings` }).post('/api/me/tokens', {
          name: 'ok2',
        })
      ).statusCode,
    ).toBe(201);
    // Reads need no Origin.
    expect((await withCookie({}).get('/api/me')).statusCode).toBe(200);
  });

  it('refuses a cross-site login (login CSRF)', async () => {
    const res = await new ApiClient(t.app, { origin: 'https://evil.example' }).post(
      '/api/auth/login',
      ADMIN,
    );
    expect(res.statusCode).toBe(403);
    expect(res.cookies).toHaveLength(0);
  });

  it('sends the security headers on every answer, errors included', async () => {
    const session = new ApiClient(t.app, { cookie, origin: SAME_ORIGIN });
    const token = await tokenFor(session);
    for (const res of [
      await new ApiClient(t.app).get('/api/health'),
      await new ApiClient(t.app).get('/api/nowhere'),
      await new ApiClient(t.app).get('/api/users'),
      await token.get('/api/me'),
      await new ApiClient(t.app).get('/'),
    ]) {
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      // Plain HTTP here: HSTS only goes out over TLS (the e2e test checks that side).
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const session = new ApiClient(t.app, { cookie, origin: SAME_ORIGIN });
    const res = await session.post('/api/users', {
      username: 'big',
      password: 'x'.repeat(2 * 1024 * 1024),
      role: 'viewer',
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(
      await t.db.selectFrom('users').selectAll().where('username', '=', 'big').execute(),
    ).toHaveLength(0);
  });
});
