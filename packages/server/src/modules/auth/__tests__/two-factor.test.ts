import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ApiClient, login, setupAdmin } from '../../../testing/api-client.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../../testing/test-app.js';
import { totpCode } from '../totp.js';

describe('two-factor authentication', () => {
  let t: TestApp;
  let clock = Date.now();
  let admin: ApiClient;
  let secret = '';
  let recoveryCodes: string[] = [];
  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE, now: () => clock });
    admin = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  const loginWith = (totp?: string) =>
    new ApiClient(t.app).post('/api/auth/login', {
      ...ADMIN,
      ...(totp !== undefined ? { totp } : {}),
    });

  it('enrols: a secret and otpauth URI, then a first code turns it on with ten recovery codes', async () => {
    const setup = await admin.post('/api/me/2fa/setup');
    expect(setup.statusCode).toBe(200);
    const body = setup.json<{ secret: string; otpauthUri: string }>();
    secret = body.secret;
    expect(body.otpauthUri).toMatch(
      /^otpauth:\/\/totp\/Berth%3Aadmin\?secret=[A-Z2-7]+&issuer=Berth/,
    );

    const stored = await t.db
      .selectFrom('users')
      .select(['totp_pending_secret', 'totp_secret'])
      .executeTakeFirstOrThrow();
    expect(stored.totp_pending_secret).toMatch(/^v1:/);
    expect(stored.totp_pending_secret).not.toContain(secret);

    const wrong = await admin.post('/api/me/2fa/enable', { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    const enabled = await admin.post('/api/me/2fa/enable', { code: totpCode(secret, clock) });
    expect(enabled.statusCode).toBe(200);
    recoveryCodes = enabled.json<{ recoveryCodes: string[] }>().recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await admin.get('/api/me')).json()).toMatchObject({ user: { totpEnabled: true } });
    const sealed = await t.db.selectFrom('users').select('totp_secret').executeTakeFirstOrThrow();
    expect(sealed.totp_secret).toMatch(/^v1:/);
  });

  it('asks for a code at login, accepts a fresh one, and never the same one twice', async () => {
    const missing = await loginWith();
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ error: { code: 'totp_required' } });

    clock += 30_000;
    const code = totpCode(secret, clock);
    expect((await loginWith(code)).statusCode).toBe(200);
    const replay = await loginWith(code);
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ error: { code: 'invalid_totp' } });
  });

  it('accepts each recovery code exactly once', async () => {
    const [first, second] = recoveryCodes;
    expect((await loginWith(first)).statusCode).toBe(200);
    expect((await loginWith(first)).statusCode).toBe(401);
    expect((await loginWith(` ${(second ?? '').toUpperCase()} `)).statusCode).toBe(200);
  });

  it('turns off only with the password', async () => {
    clock += 30_000;
    const session = await login(t.app, ADMIN.username, ADMIN.password, totpCode(secret, clock));
    expect(
      (await session.post('/api/me/2fa/disable', { password: 'not my password' })).statusCode,
    ).toBe(403);
    expect(
      (await session.post('/api/me/2fa/disable', { password: ADMIN.password })).statusCode,
    ).toBe(204);
    expect((await loginWith()).statusCode).toBe(200);
    expect(await t.db.selectFrom('recovery_codes').selectAll().execute()).toHaveLength(0);
  });

  it('when required for admins, holds an admin without 2FA to enrolment', async () => {
    const session = await login(t.app, ADMIN.username, ADMIN.password);
    expect((await session.patch('/api/settings', { require2faForAdmins: true })).statusCode).toBe(
      200,
    );
    const blocked = await session.get('/api/users');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ error: { code: 'totp_enrolment_required' } });
    expect((await session.get('/api/me')).json()).toMatchObject({
      restrictions: ['totp_enrolment_required'],
    });

    const enrol = (await session.post('/api/me/2fa/setup')).json<{ secret: string }>();
    clock += 30_000;
    expect(
      (await session.post('/api/me/2fa/enable', { code: totpCode(enrol.secret, clock) }))
        .statusCode,
    ).toBe(200);
    expect((await session.get('/api/users')).statusCode).toBe(200);
  });

  it('audits 2FA changes', async () => {
    const actions = (
      await t.db
        .selectFrom('audit_log')
        .select(['action', 'outcome'])
        .where('action', 'like', '2fa.%')
        .execute()
    ).map((r) => `${r.action}:${r.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        '2fa.setup:success',
        '2fa.enable:failure',
        '2fa.enable:success',
        '2fa.disable:denied',
        '2fa.disable:success',
      ]),
    );
  });
});
