import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Staleness } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin, tokenFor, type ApiClient } from '../../../testing/api-client.js';
import { SocketProxy } from '../../../testing/socket-proxy.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, testSocketPath } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';

/** Every list served from the engine state, and the items it lists. */
const LISTS = [
  ['containers', 'containers'],
  ['images', 'images'],
  ['networks', 'networks'],
  ['volumes', 'volumes'],
  ['system/events', 'events'],
] as const;

describe('lists served while the engine is unreachable', () => {
  const fixtures = new EngineFixtures();
  const dir = mkdtempSync(join(tmpdir(), 'berth-stale-'));
  const proxy = new SocketProxy(join(dir, 'engine.sock'), testSocketPath());
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    await proxy.listen();
    t = await startTestApp({ endpoint: { transport: 'unix', socketPath: proxy.path } });
    await t.hosts.get('local')?.state.whenSynced();
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t.close();
    await proxy.goDark();
    await fixtures.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const read = async (path: string) => {
    const res = await admin.get(`/api/hosts/local/${path}`);
    expect(res.statusCode).toBe(200);
    return res.json<Record<string, unknown> & { stale: Staleness | null }>();
  };

  it('say they are the last known ones, since when, and stop saying so when it is back', async () => {
    const id = await fixtures.createContainer('kept');
    await waitFor('the container listed', async () =>
      ((await read('containers')).containers as { id: string }[]).some((c) => c.id === id),
    );
    for (const [path] of LISTS) expect((await read(path)).stale).toBeNull();
    const events = await WsRecorder.open(
      t.app,
      '/api/hosts/local/events',
      (await tokenFor(admin)).headers,
    );
    await events.waitFor('hello', () => events.of('hello')[0]);

    const beforeCut = Date.now();
    await proxy.goDark();
    const stale = await waitFor('the containers list marked stale', async () => {
      const list = await read('containers');
      return list.stale ?? undefined;
    });
    expect(stale.reason).not.toBe('');
    // The time the engine was last reached: after the link went, before it was found gone.
    expect(stale.since).not.toBeNull();
    const since = Date.parse(stale.since ?? '');
    expect(since).toBeGreaterThanOrEqual(beforeCut);
    const markedUnreachable = t.hosts.get('local')?.state.status.since.getTime() ?? 0;
    expect(since).toBeLessThanOrEqual(markedUnreachable);
    for (const [path] of LISTS) expect((await read(path)).stale).toEqual(stale);
    // The last known list is still served, marked.
    const kept = (await read('containers')).containers as { id: string }[];
    expect(kept.map((c) => c.id)).toContain(id);
    // Inspect and actions still refuse, as before.
    expect((await admin.get(`/api/hosts/local/containers/${id}`)).statusCode).toBe(503);
    await events.waitFor('the engine reported gone', () =>
      events.of('reachability').find((m) => m.reachable === false),
    );

    await proxy.listen();
    await waitFor('the mark gone', async () => (await read('containers')).stale === null);
    for (const [path] of LISTS) expect((await read(path)).stale).toBeNull();
    await events.waitFor('the engine reported back', () =>
      events.of('reachability').find((m) => m.reachable === true),
    );
    events.close();
  });
});
