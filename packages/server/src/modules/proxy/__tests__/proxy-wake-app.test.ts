// Wake-on-demand as Berth runs it: routes written by Berth's own applier into a real Caddy,
// the waker and the access-log listener of the app, the API's wake and sleep, the engine's
// events. (wake/__tests__ test the controller alone over a minimal directory.)
import type { AuditPage, ProxyRoute } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCaddyTools,
  startTestCaddy,
  type TestCaddy,
} from '../../../../../../scripts/lib/test-caddy.mjs';
import { setupAdmin, type ApiClient } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import {
  caddyConfig,
  createRoute,
  routeState,
  startWebContainer,
  throughCaddy,
  untilAnswers,
} from './proxy-support.js';

describe('wake-on-demand through Berth’s routes in a real Caddy', () => {
  let caddy: TestCaddy;
  let t: TestApp;
  let admin: ApiClient;
  let web: { id: string; name: string };
  let route: ProxyRoute;
  const fixtures = new EngineFixtures();
  const hostname = `wake-${fixtures.runId}.proxy.test`;
  const says = `woken-${fixtures.runId}`;

  /** Counts the web container's engine events; `next(action)` resolves on the next one. */
  function watch() {
    const counts = new Map<string, number>();
    const waiters: { action: string; resolve: () => void }[] = [];
    const stop = t.hosts.get('local')?.state.onEngineEvent((event) => {
      if (event.Type !== 'container' || event.Actor.ID !== web.id) return;
      counts.set(event.Action, (counts.get(event.Action) ?? 0) + 1);
      for (const waiter of waiters.filter((w) => w.action === event.Action)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
    return {
      count: (action: string) => counts.get(action) ?? 0,
      next: (action: string) => new Promise<void>((resolve) => waiters.push({ action, resolve })),
      stop: () => stop?.(),
    };
  }

  const wakeState = async (state: string) =>
    waitFor(`the route to be ${state}`, async () => {
      const seen = await routeState(admin, route.id);
      return seen.wake?.state === state && seen;
    });

  /** The dial address Caddy holds for the route now. */
  const caddyDials = async (): Promise<string[]> => {
    const text = JSON.stringify(await caddyConfig(caddy));
    const dials = [...text.matchAll(/"dial":"([^"]+)"/g)].map((m) => m[1] ?? '');
    return dials;
  };

  beforeAll(async () => {
    await ensureCaddyTools();
    caddy = await startTestCaddy({ admin: 'socket' });
    t = await startTestApp({ proxy: { admin: caddy.admin, server: null, checkEveryMs: 100 } });
    admin = await setupAdmin(t.app);
    web = await startWebContainer(fixtures, 'wake-web', says);
    await t.hosts.get('local')?.state.settled();
    route = await createRoute(admin, {
      hostnames: [hostname],
      target: { host: 'local', container: web.name, port: 80, via: 'published' },
      tls: 'off',
      wake: { idleMinutes: 0.1, startTimeoutSeconds: 60 },
    });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
    await caddy.stop();
  });

  it('stops the target after the idle window; the next request starts it and gets its answer', async () => {
    expect(route.wake).toMatchObject({ state: 'awake', idleMinutes: 0.1 });
    expect(route.wake?.sleepsAt).not.toBeNull();
    const events = watch();
    const died = events.next('die');
    await untilAnswers('the awake route to answer', () => throughCaddy(caddy, hostname), says);
    // Nothing more: the idle timer stops it, and the route points at the waker.
    await died;
    const asleep = await wakeState('asleep');
    expect(asleep.wake).toMatchObject({ sleepsToday: 1, lastSleepAt: expect.any(String) });
    const { waker } = (await admin.get('/api/proxy')).json<{ waker: string | null }>();
    expect(waker).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await caddyDials()).toContain(waker);

    // An API client's request is held while the target starts, then answered by it.
    const answer = await throughCaddy(caddy, hostname, { timeoutMs: 60_000 });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain(says);
    expect(events.count('start')).toBe(1);
    const awake = await wakeState('awake');
    expect(awake.wake).toMatchObject({
      wakesToday: 1,
      lastWakeAt: expect.any(String),
      lastTimeToHealthyMs: expect.any(Number),
    });
    expect(await caddyDials()).not.toContain(waker);
    const audit = await admin.get('/api/audit?action=proxy.route.');
    const actions = audit.json<AuditPage>().entries.map((e) => [e.action, e.details?.by]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['proxy.route.sleep', 'idle'],
        ['proxy.route.wake', 'waker'],
      ]),
    );
    events.stop();
  });

  it('sleeps on request; ten concurrent first requests start it once and all get the answer', async () => {
    const events = watch();
    const slept = await admin.post(`/api/proxy/routes/${route.id}/sleep`);
    expect(slept.statusCode).toBe(200);
    expect(slept.json<ProxyRoute>().wake?.state).toBe('asleep');
    // The sleep waited for the engine's stop; Berth's view follows with its event.
    await waitFor(
      'the target seen stopped',
      () => t.hosts.get('local')?.state.container(web.id)?.state === 'exited',
    );
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => throughCaddy(caddy, hostname, { timeoutMs: 60_000 })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    for (const a of answers) expect(a.body).toContain(says);
    expect(events.count('start')).toBe(1);
    events.stop();
  });

  it('shows a browser the starting page while it starts, then the page itself', async () => {
    await admin.post(`/api/proxy/routes/${route.id}/sleep`);
    const page = await throughCaddy(caddy, hostname, {
      headers: { accept: 'text/html,application/xhtml+xml' },
      timeoutMs: 60_000,
    });
    expect(page.status).toBe(503);
    expect(page.headers['retry-after']).toBeDefined();
    expect(page.body).toContain(hostname);
    await untilAnswers(
      'the page itself after the start',
      () => throughCaddy(caddy, hostname, { headers: { accept: 'text/html' } }),
      says,
    );
    // POST …/wake on an awake route answers it as it is.
    const woken = await admin.post(`/api/proxy/routes/${route.id}/wake`);
    expect(woken.statusCode).toBe(200);
    expect(woken.json<ProxyRoute>().wake?.state).toBe('awake');
  });
});
