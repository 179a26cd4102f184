import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';

/** One socket per list page, following the stats of the rows on screen from the shared streams. */
describe('the stats of several containers on one socket', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let viewer: ApiClient;
  let operator: ApiClient;
  let busy: string;
  let idle: string;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await setupAdmin(t.app);
    viewer = await tokenFor(await userSession(admin, 'many-viewer', 'viewer'));
    operator = await tokenFor(await userSession(admin, 'many-op', 'operator'));
    busy = await fixtures.createContainer('many-busy', ['sh', '-c', 'while :; do :; done']);
    idle = await fixtures.createContainer('many-idle', ['sleep', '300']);
    await fixtures.start(busy);
    await fixtures.start(idle);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  const open = (client: ApiClient): Promise<WsRecorder> =>
    WsRecorder.open(t.app, '/api/hosts/local/stats/stream', client.headers);
  const readings = (ws: WsRecorder, id: string) => ws.of('stats').filter((m) => m.id === id);
  const stats = () => t.services.containerStreams.stats;

  it('shares one upstream per container between two clients, and closes it with the last unsubscribe', async () => {
    const started = stats().started;
    const a = await open(viewer);
    const b = await open(operator);
    a.socket.send(JSON.stringify({ type: 'subscribe', ids: [busy, idle] }));
    b.socket.send(JSON.stringify({ type: 'subscribe', ids: [busy] }));
    await a.waitFor(
      'readings of both for a',
      () => readings(a, busy).length >= 2 && readings(a, idle).length >= 1,
    );
    await b.waitFor('readings of busy for b', () => readings(b, busy).length >= 2);
    expect(stats().active(`local/${busy}`)).toBe(1);
    expect(stats().subscribers(`local/${busy}`)).toBe(2);
    expect(stats().subscribers(`local/${idle}`)).toBe(1);
    expect(stats().started).toBe(started + 2);
    expect(readings(b, idle)).toEqual([]);
    const last = readings(a, busy).at(-1) as { cpuPercent: number; memory: { usage: number } };
    expect(last.cpuPercent).toBeGreaterThan(5);
    expect(last.memory.usage).toBeGreaterThan(0);

    a.socket.send(JSON.stringify({ type: 'unsubscribe', ids: [busy] }));
    await waitFor('a left busy', () => stats().subscribers(`local/${busy}`) === 1);
    expect(stats().active(`local/${busy}`)).toBe(1);
    // a still follows idle; b is now the only viewer of busy.
    const idleSoFar = readings(a, idle).length;
    await a.waitFor('more readings of idle', () => readings(a, idle).length > idleSoFar);
    b.socket.send(JSON.stringify({ type: 'unsubscribe', ids: [busy] }));
    await waitFor('busy upstream stopped', () => stats().active(`local/${busy}`) === 0);
    expect(stats().active(`local/${idle}`)).toBe(1);

    // Closing a socket leaves everything it followed.
    a.close();
    await waitFor('idle upstream stopped', () => stats().active(`local/${idle}`) === 0);
    expect(b.closed).toBe(false);
    b.close();
  });

  it('ends one unknown container apart, and refuses a bad control message naming the field', async () => {
    const ws = await open(viewer);
    ws.socket.send(JSON.stringify({ type: 'subscribe', ids: ['no-such-container-here', idle] }));
    const ended = await ws.waitFor('the unknown one ended', () =>
      ws.of('ended').find((m) => m.id === 'no-such-container-here'),
    );
    expect(ended.reason).toMatch(/no-such-container-here/);
    await ws.waitFor('the other one still streams', () => readings(ws, idle).length >= 1);
    ws.socket.send(JSON.stringify({ type: 'subscribe', ids: ['bad id!'] }));
    const closed = await ws.whenClosed();
    expect(closed.code).toBe(1008);
    expect(closed.reason).toMatch(/^invalid message: ids\.0: /);
    await waitFor('its upstream stopped', () => stats().active(`local/${idle}`) === 0);
  });
});
