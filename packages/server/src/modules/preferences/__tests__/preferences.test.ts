import type { AuditPage, Preferences } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../../testing/test-app.js';

describe('UI preferences, per user', () => {
  let t: TestApp;
  let admin: ApiClient;
  let viewer: ApiClient;
  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE });
    admin = await setupAdmin(t.app);
    viewer = await userSession(admin, 'prefs-viewer', 'viewer');
  });
  afterAll(() => t.close());

  it('starts from the defaults, keeps a change for that user only, and audits it', async () => {
    expect((await viewer.get('/api/me/preferences')).json<Preferences>()).toEqual({
      showCommands: true,
      theme: 'system',
    });
    const changed = await viewer.patch('/api/me/preferences', { showCommands: false });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<Preferences>()).toEqual({ showCommands: false, theme: 'system' });
    const themed = await viewer.patch('/api/me/preferences', { theme: 'dark' });
    expect(themed.json<Preferences>()).toEqual({ showCommands: false, theme: 'dark' });
    expect((await viewer.get('/api/me/preferences')).json<Preferences>()).toEqual({
      showCommands: false,
      theme: 'dark',
    });
    expect((await admin.get('/api/me/preferences')).json<Preferences>()).toEqual({
      showCommands: true,
      theme: 'system',
    });
    const audit = (await admin.get('/api/audit?action=preferences.update')).json<AuditPage>();
    expect(audit.entries.map((e) => e.username)).toContain('prefs-viewer');
  });

  it('refuses unknown fields and values, changing nothing', async () => {
    const bad = await viewer.patch('/api/me/preferences', { theme: 'neon' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('theme');
    expect((await viewer.patch('/api/me/preferences', { fontSize: 20 })).statusCode).toBe(400);
    expect((await viewer.get('/api/me/preferences')).json<Preferences>().theme).toBe('dark');
  });

  it('reads stored preferences from an older version through the schema', async () => {
    const me = (await viewer.get('/api/me')).json<{ user: { id: string } }>();
    await t.db
      .updateTable('user_preferences')
      .set({ preferences: JSON.stringify({ theme: 'light', removedLongAgo: 1 }) })
      .where('user_id', '=', me.user.id)
      .execute();
    expect((await viewer.get('/api/me/preferences')).json<Preferences>()).toEqual({
      showCommands: true,
      theme: 'light',
    });
  });

  it('needs a signed-in user', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/me/preferences' })).statusCode).toBe(
      401,
    );
  });
});
