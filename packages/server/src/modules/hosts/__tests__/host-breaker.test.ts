import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host, Staleness } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin, type ApiClient } from '../../../testing/api-client.js';
import { SocketProxy } from '../../../testing/socket-proxy.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { testSocketPath } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

/**
 * A host added at runtime behind a socket proxy (a second entry for the test engine): while it
 * cannot be reached its calls fail fast with host_unreachable and since when, its lists are the
 * last known ones marked stale; what Berth stored for it is kept or forgotten on removal.
 */
describe('a runtime host that goes unreachable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-breaker-'));
  const proxy = new SocketProxy(join(dir, 'engine.sock'), testSocketPath());
  let t: TestApp;
  let admin: ApiClient;
  const definition = () => ({
    name: 'proxied',
    kind: 'socket',
    url: `unix://${proxy.path}`,
    allowDuplicate: true,
  });

  beforeAll(async () => {
    await proxy.listen();
    t = await startTestApp();
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t.close();
    await proxy.goDark();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails fast with host_unreachable and serves its last known lists, marked stale', async () => {
    expect((await admin.post('/api/hosts', definition())).statusCode).toBe(201);
    await t.hosts.get('proxied')?.state.whenSynced();
    const list = async () =>
      (await admin.get('/api/hosts/proxied/containers')).json<{
        containers: unknown[];
        stale: Staleness | null;
      }>();
    const known = (await list()).containers.length;
    expect((await list()).stale).toBeNull();

    await proxy.goDark();
    await waitFor('the host seen unreachable', async () => {
      const host = (await admin.get('/api/hosts/proxied')).json<Host>();
      return !host.reachable && host.error !== null;
    });
    const stale = await list();
    expect(stale.stale?.reason).toEqual(expect.any(String));
    expect(stale.containers).toHaveLength(known);

    const info = await admin.get('/api/hosts/proxied/info');
    expect(info.statusCode).toBe(503);
    const since = (await admin.get('/api/hosts/proxied')).json<Host>().since;
    // Not tried at all: the answer says since when the host is unreachable, and why.
    expect(info.json()).toMatchObject({
      error: { code: 'host_unreachable', details: { since, reason: expect.any(String) } },
    });

    await proxy.listen();
    await waitFor('the host back', async () => (await list()).stale === null);
    expect((await admin.get('/api/hosts/proxied/info')).statusCode).toBe(200);
  });

  it('changes labels in place and restarts the host when how it is reached changes', async () => {
    const before = t.hosts.get('proxied');
    const labelled = await admin.patch('/api/hosts/proxied', { labels: ['home', 'home', 'lab'] });
    expect(labelled.statusCode, labelled.body).toBe(200);
    expect(labelled.json<Host>().labels).toEqual(['home', 'lab']);
    expect(t.hosts.get('proxied')).toBe(before);

    const direct = `unix://${testSocketPath()}`;
    const moved = await admin.patch('/api/hosts/proxied', { url: direct, allowDuplicate: true });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<Host>()).toMatchObject({ url: direct, labels: ['home', 'lab'] });
    const after = t.hosts.get('proxied');
    expect(after).not.toBe(before);
    expect(before?.retired.aborted).toBe(true);
    await after?.state.whenSynced();
    expect((await admin.get('/api/hosts/proxied/info')).statusCode).toBe(200);

    const nowhere = await admin.patch('/api/hosts/proxied', { url: 'unix:///nonexistent/x.sock' });
    expect(nowhere.json()).toMatchObject({
      error: { code: 'host_connection_failed', details: { reason: 'no_socket' } },
    });
    expect((await admin.get('/api/hosts/proxied')).json<Host>().url).toBe(direct);
    expect((await admin.patch('/api/hosts/local', { labels: ['x'] })).statusCode).toBe(409);
    const back = await admin.patch('/api/hosts/proxied', { url: `unix://${proxy.path}` });
    expect(back.statusCode, back.body).toBe(409);
    expect(back.json()).toMatchObject({ error: { code: 'host_duplicate' } });
  });

  it('keeps what Berth stored for a removed host unless told to forget it', async () => {
    const stored = async () =>
      (
        await t.db
          .selectFrom('stack_variables')
          .select('name')
          .where('host_id', '=', 'proxied')
          .execute()
      ).length;
    await t.db
      .insertInto('stack_variables')
      .values({ host_id: 'proxied', name: 'DOMAIN', value: 'example.org', secret: 0 })
      .execute();
    expect((await admin.delete('/api/hosts/proxied')).statusCode).toBe(204);
    expect(await stored()).toBe(1);

    expect((await admin.post('/api/hosts', definition())).statusCode).toBe(201);
    expect((await admin.delete('/api/hosts/proxied?forget=true')).statusCode).toBe(204);
    expect(await stored()).toBe(0);
    expect((await admin.delete('/api/hosts/proxied?forget=maybe')).statusCode).toBe(400);
  });
});
