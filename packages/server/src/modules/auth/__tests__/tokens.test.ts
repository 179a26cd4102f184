import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, bearer, setupAdmin, userSession } from '../../../testing/api-client.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../../testing/test-app.js';

describe('API tokens', () => {
  let t: TestApp;
  let clock = Date.now();
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE, now: () => clock });
    admin = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  it('shows the secret once, stores only its hash, and authenticates with it', async () => {
    const res = await admin.post('/api/me/tokens', { name: 'ci' });
    expect(res.statusCode).toBe(201);
    const { token, secret } = res.json<{
      token: { id: string; role: string; prefix: string };
      secret: string;
    }>();
    expect(secret).toMatch(/^berth_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ role: 'admin', prefix: secret.slice(0, 12) });
    const stored = await t.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(secret);

    const client = bearer(t.app, secret);
    const me = await client.get('/api/me');
    expect(me.json()).toMatchObject({ auth: 'token', effectiveRole: 'admin' });
    const listed = (await admin.get('/api/me/tokens')).json<{
      tokens: { id: string; lastUsedAt: string | null }[];
    }>();
    expect(listed.tokens.find((x) => x.id === token.id)?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it('needs no Origin header: bearer requests are exempt from the CSRF check', async () => {
    const client = bearer(
      t.app,
      (await admin.post('/api/me/tokens', { name: 'script' })).json<{ secret: string }>().secret,
    );
    expect((await client.patch('/api/settings', {})).statusCode).toBe(200);
  });

  it('scopes a token to a role no higher than its owner', async () => {
    const viewerToken = bearer(
      t.app,
      (await admin.post('/api/me/tokens', { name: 'ro', role: 'viewer' })).json<{
        secret: string;
      }>().secret,
    );
    expect((await viewerToken.get('/api/hosts')).statusCode).toBe(200);
    expect((await viewerToken.get('/api/users')).statusCode).toBe(403);

    const operator = await userSession(admin, 'opal', 'operator');
    const tooHigh = await operator.post('/api/me/tokens', { name: 'escalate', role: 'admin' });
    expect(tooHigh.statusCode).toBe(403);
    expect(tooHigh.json()).toMatchObject({ error: { code: 'role_too_high' } });
  });

  it('limits a token when its owner is demoted later', async () => {
    const op = await userSession(admin, 'olive', 'operator');
    const opToken = bearer(
      t.app,
      (await op.post('/api/me/tokens', { name: 'deploy' })).json<{ secret: string }>().secret,
    );
    const users = (await admin.get('/api/users')).json<{
      users: { id: string; username: string }[];
    }>().users;
    const olive = users.find((u) => u.username === 'olive');
    await admin.patch(`/api/users/${olive?.id ?? ''}`, { role: 'viewer' });
    expect((await opToken.get('/api/me')).json()).toMatchObject({ effectiveRole: 'viewer' });
  });

  it('stops working once revoked or expired', async () => {
    const created = (
      await admin.post('/api/me/tokens', {
        name: 'temp',
        expiresAt: new Date(clock + 3_600_000).toISOString(),
      })
    ).json<{
      token: { id: string };
      secret: string;
    }>();
    const client = bearer(t.app, created.secret);
    expect((await client.get('/api/me')).statusCode).toBe(200);
    clock += 2 * 3_600_000;
    const expired = await client.get('/api/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ error: { code: 'invalid_token' } });

    const other = (await admin.post('/api/me/tokens', { name: 'gone' })).json<{
      token: { id: string };
      secret: string;
    }>();
    expect((await admin.delete(`/api/me/tokens/${other.token.id}`)).statusCode).toBe(204);
    expect((await bearer(t.app, other.secret).get('/api/me')).statusCode).toBe(401);
    expect((await admin.delete(`/api/me/tokens/${other.token.id}`)).statusCode).toBe(404);
  });

  it('refuses an expiry in the past and a garbage bearer header', async () => {
    const past = await admin.post('/api/me/tokens', {
      name: 'old',
      expiresAt: '2001-01-01T00:00:00Z',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({
      error: { details: { issues: [{ field: 'body.expiresAt' }] } },
    });
    const garbage = await new ApiClient(t.app, { authorization: 'Bearer nope' }).get('/api/hosts');
    expect(garbage.statusCode).toBe(401);
    const basic = await new ApiClient(t.app, { authorization: 'Basic YWRtaW46cGFzcw==' }).get(
      '/api/hosts',
    );
    expect(basic.statusCode).toBe(401);
  });

  it('audits token creation and revocation', async () => {
    const actions = (
      await t.db
        .selectFrom('audit_log')
        .select(['action', 'outcome'])
        .where('action', 'like', 'token.%')
        .execute()
    ).map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'token.create:success',
        'token.revoke:success',
        'token.create:denied',
      ]),
    );
  });
});
