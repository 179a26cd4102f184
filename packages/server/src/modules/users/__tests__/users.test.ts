import type { UserView } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ApiClient, login, setupAdmin } from '../../../testing/api-client.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../../testing/test-app.js';

describe('user administration', () => {
  let t: TestApp;
  let admin: ApiClient;
  let adminId: string;
  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE, extraHosts: ['pi'] });
    admin = await setupAdmin(t.app);
    adminId = (await admin.get('/api/me')).json<{ user: UserView }>().user.id;
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>) => admin.post('/api/users', body);
  const count = async () => (await t.db.selectFrom('users').selectAll().execute()).length;

  it('creates a user with a role and host grants', async () => {
    const res = await create({
      username: 'Vera',
      password: 'vera-password-1',
      role: 'viewer',
      hosts: ['pi', 'local', 'pi'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      username: 'Vera',
      role: 'viewer',
      hosts: ['local', 'pi'],
      disabled: false,
      totpEnabled: false,
    });
    const stored = await t.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'Vera')
      .executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a taken name (case-insensitively), an unknown host and a short password, storing nothing', async () => {
    const before = await count();
    const taken = await create({ username: 'vera', password: 'another-password', role: 'viewer' });
    expect(taken.statusCode).toBe(409);
    const unknownHost = await create({
      username: 'hal',
      password: 'hal-password-12',
      role: 'viewer',
      hosts: ['mars'],
    });
    expect(unknownHost.statusCode).toBe(400);
    expect(unknownHost.json()).toMatchObject({
      error: { details: { issues: [{ field: 'body.hosts' }] } },
    });
    const short = await create({ username: 'hal', password: 'hal', role: 'viewer' });
    expect(short.json()).toMatchObject({
      error: { details: { issues: [{ field: 'body.password' }] } },
    });
    expect(await count()).toBe(before);
  });

  it('lists and fetches users; unknown ids are 404', async () => {
    const users = (await admin.get('/api/users')).json<{ users: UserView[] }>().users;
    expect(users.map((u) => u.username)).toEqual(['admin', 'Vera']);
    const vera = users.find((u) => u.username === 'Vera');
    expect((await admin.get(`/api/users/${vera?.id ?? ''}`)).json()).toMatchObject({
      username: 'Vera',
    });
    expect((await admin.get('/api/users/nope')).statusCode).toBe(404);
  });

  it('changes role and grants', async () => {
    const id = (
      await create({ username: 'oscar', password: 'oscar-password', role: 'viewer' })
    ).json<UserView>().id;
    const res = await admin.patch(`/api/users/${id}`, { role: 'operator', hosts: ['pi'] });
    expect(res.json()).toMatchObject({ role: 'operator', hosts: ['pi'] });
  });

  it('disables a user: their sessions end and they cannot log in; enabling restores access', async () => {
    const id = (
      await create({ username: 'dora', password: 'dora-password-1', role: 'viewer' })
    ).json<UserView>().id;
    const session = await login(t.app, 'dora', 'dora-password-1');
    expect((await admin.patch(`/api/users/${id}`, { disabled: true })).json()).toMatchObject({
      disabled: true,
    });
    expect((await session.get('/api/me')).statusCode).toBe(401);
    const refused = await new ApiClient(t.app).post('/api/auth/login', {
      username: 'dora',
      password: 'dora-password-1',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: { code: 'account_disabled' } });
    await admin.patch(`/api/users/${id}`, { disabled: false });
    await login(t.app, 'dora', 'dora-password-1');
  });

  it('resets a password: sessions end, and the user must pick a new one before anything else', async () => {
    const id = (
      await create({ username: 'rita', password: 'rita-password-1', role: 'operator' })
    ).json<UserView>().id;
    const old = await login(t.app, 'rita', 'rita-password-1');
    expect(
      (await admin.patch(`/api/users/${id}`, { password: 'temporary-pass-1' })).json(),
    ).toMatchObject({ mustChangePassword: true });
    expect((await old.get('/api/me')).statusCode).toBe(401);
    const fresh = await login(t.app, 'rita', 'temporary-pass-1');
    const blocked = await fresh.get('/api/hosts');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ error: { code: 'password_change_required' } });
    expect((await fresh.get('/api/me')).json()).toMatchObject({
      restrictions: ['password_change_required'],
    });
    expect(
      (
        await fresh.post('/api/me/password', {
          currentPassword: 'temporary-pass-1',
          newPassword: 'rita-own-password',
        })
      ).statusCode,
    ).toBe(204);
    expect((await fresh.get('/api/hosts')).statusCode).toBe(200);
  });

  it('never loses the last enabled admin', async () => {
    const demote = await admin.patch(`/api/users/${adminId}`, { role: 'operator' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json()).toMatchObject({ error: { code: 'last_admin' } });
    expect((await admin.patch(`/api/users/${adminId}`, { disabled: true })).statusCode).toBe(409);
    expect((await admin.delete(`/api/users/${adminId}`)).statusCode).toBe(409);
    expect((await admin.get('/api/me')).json()).toMatchObject({
      user: { role: 'admin', disabled: false },
    });

    const second = (
      await create({ username: 'ada', password: 'ada-password-12', role: 'admin' })
    ).json<UserView>().id;
    const ada = await login(t.app, 'ada', 'ada-password-12');
    expect((await admin.patch(`/api/users/${second}`, { role: 'viewer' })).statusCode).toBe(200);
    expect((await ada.get('/api/users')).statusCode).toBe(403);
  });

  it('deletes a user, but not yourself', async () => {
    const id = (
      await create({ username: 'gone', password: 'gone-password-1', role: 'viewer' })
    ).json<UserView>().id;
    expect((await admin.delete(`/api/users/${id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/users/${id}`)).statusCode).toBe(404);
    expect((await admin.delete(`/api/users/${id}`)).statusCode).toBe(404);
    const self = await admin.delete(`/api/users/${adminId}`);
    expect(self.statusCode).toBe(409);
  });

  it('audits user changes without writing passwords down', async () => {
    const rows = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', 'like', 'user.%')
      .execute();
    expect(rows.map((r) => `${r.action}:${r.outcome}`)).toEqual(
      expect.arrayContaining([
        'user.create:success',
        'user.create:failure',
        'user.update:success',
        'user.update:failure',
        'user.delete:success',
      ]),
    );
    const reset = rows.find(
      (r) => r.action === 'user.update' && r.details?.includes('passwordReset'),
    );
    expect(reset).toBeDefined();
    expect(JSON.stringify(rows)).not.toContain('temporary-pass-1');
    expect(JSON.stringify(rows)).not.toContain(ADMIN.password);
  });
  it('records when each user last signed in: null until the first login', async () => {
    const made = await create({
      username: 'Lena',
      password: 'lena-password-1',
      role: 'viewer',
      mustChangePassword: false,
    });
    expect(made.json<UserView>().lastLoginAt).toBeNull();
    const before = Date.now();
    await login(t.app, 'Lena', 'lena-password-1');
    const users = (await admin.get('/api/users')).json<{ users: UserView[] }>().users;
    const lena = users.find((u) => u.username === 'Lena');
    expect(Date.parse(lena?.lastLoginAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
  });
});
