import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../testing/wait-for.js';
import { WAKE_ROUTE_HEADER, WAKE_SECRET_HEADER } from '../waker-server.js';
import {
  containerTarget,
  httpContainer,
  send,
  startWakeRig,
  wakeRoute,
  watchEvents,
  type WakeRig,
} from './wake-rig.js';

let rig: WakeRig;

/** Waits until the route is in `state` and Caddy has it pointed accordingly. */
function settled(id: string, state: 'awake' | 'asleep'): Promise<true> {
  const at = state === 'awake' ? 'target' : 'waker';
  return waitFor(`${id} ${state}, at its ${at}`, () =>
    rig.controller.view(id)?.state === state && rig.directory.pointsAt(id) === at ? true : false,
  );
}

beforeAll(async () => {
  rig = await startWakeRig();
});

afterAll(async () => {
  await rig.close();
});

const BODY = 'the wake target answers';
const HOST = 'wake-cycle.test';

describe('wake-on-demand through a real Caddy', () => {
  it('sleeps after the idle window; the next request wakes it, held (API) or with a starting page (browser)', async () => {
    const web = await httpContainer(rig.fixtures, 'wake-cycle', BODY);
    await rig.fixtures.start(web.id);
    const events = watchEvents(rig.host, web.id);
    const route = wakeRoute('cycle', HOST, containerTarget(web.name), {
      idleMinutes: 0.1,
      startTimeoutSeconds: 30,
    });
    let died = events.next('die');
    await rig.directory.add(route);
    await settled('cycle', 'awake');

    // Just started: httpd may take a moment to listen.
    const direct = await waitFor('the target answers', async () => {
      const answer = await send(rig.httpPort, HOST);
      return answer.status === 200 && answer;
    });
    expect(direct.body).toBe(`${BODY}\n`);

    // Idle: the container stops and the route points at the waker.
    await died;
    await settled('cycle', 'asleep');
    expect(rig.controller.pointsAtWaker('cycle')).toBe(true);

    // An API client is held until the target answers, then gets the target's own answer.
    const startsBefore = events.count('start');
    const held = await send(rig.httpPort, HOST);
    expect(held).toMatchObject({ status: 200, body: `${BODY}\n` });
    expect(events.count('start')).toBe(startsBefore + 1);
    const awake = rig.controller.view('cycle');
    expect(awake).toMatchObject({ state: 'awake', wakesToday: 1, sleepsToday: 1, reason: null });
    expect(awake?.lastTimeToHealthyMs).toEqual(expect.any(Number));
    expect(awake?.sleepsAt).toEqual(expect.any(String));
    expect(rig.controller.pointsAtWaker('cycle')).toBe(false);

    // A browser gets the starting page while it starts, and the real page once it is up.
    died = events.next('die');
    await died;
    await settled('cycle', 'asleep');
    const page = await send(rig.httpPort, HOST, { accept: 'text/html,application/xhtml+xml' });
    expect(page.status).toBe(503);
    expect(page.headers['retry-after']).toBe('2');
    expect(page.body).toContain(`Starting ${HOST}…`);
    expect(page.body).toContain('http-equiv="refresh"');
    expect(page.body).not.toMatch(/<script|src=|href=/);
    await settled('cycle', 'awake');
    const reloaded = await send(rig.httpPort, HOST, { accept: 'text/html' });
    expect(reloaded).toMatchObject({ status: 200, body: `${BODY}\n` });

    // Stats and audit: two wakes by the waker, two sleeps by the idle timer.
    expect(rig.controller.view('cycle')).toMatchObject({ wakesToday: 2, sleepsToday: 2 });
    const wakes = await rig.audit.page({ limit: 10, action: 'proxy.route.wake' });
    expect(wakes.entries).toHaveLength(2);
    expect(wakes.entries[0]).toMatchObject({
      target: 'cycle',
      outcome: 'success',
      username: null,
      details: { by: 'waker', hostnames: [HOST], timeToHealthyMs: expect.any(Number) },
    });
    const sleeps = await rig.audit.page({ limit: 10, action: 'proxy.route.sleep' });
    expect(sleeps.entries.map((e) => [e.outcome, e.details])).toEqual([
      ['success', { by: 'idle', hostnames: [HOST] }],
      ['success', { by: 'idle', hostnames: [HOST] }],
    ]);
    events.stop();
  });

  it('starts the target once for ten concurrent first requests, and all ten get its answer', async () => {
    const web = await httpContainer(rig.fixtures, 'wake-ten', BODY);
    const events = watchEvents(rig.host, web.id);
    await rig.directory.add(
      wakeRoute('ten', 'wake-ten.test', containerTarget(web.name), {
        idleMinutes: 60,
        startTimeoutSeconds: 30,
      }),
    );
    await settled('ten', 'asleep');

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => send(rig.httpPort, 'wake-ten.test')),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((a) => a.body))).toEqual(new Set([`${BODY}\n`]));
    expect(events.count('start')).toBe(1);
    expect(rig.controller.view('ten')).toMatchObject({ state: 'awake', wakesToday: 1 });
    events.stop();
  });

  it('refuses requests without the waker secret (403) and answers 504 when the target never gets ready', async () => {
    // Nothing listens inside: the published port accepts connections but never answers HTTP.
    const mute = await rig.fixtures.createWith('wake-mute', {
      Cmd: ['sleep', '300'],
      ExposedPorts: { '80/tcp': {} },
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    const name = rig.fixtures.name('wake-mute');
    await rig.directory.add(
      wakeRoute('mute', 'wake-mute.test', containerTarget(name), {
        idleMinutes: 60,
        startTimeoutSeconds: 1,
      }),
    );
    await settled('mute', 'asleep');
    const waker = rig.controller.waker('mute');
    if (!waker) throw new Error('no waker');
    const port = Number(waker.dial.split(':')[1]);

    const noSecret = await send(port, 'wake-mute.test', {
      headers: { [WAKE_ROUTE_HEADER]: 'mute' },
    });
    expect(noSecret.status).toBe(403);
    const wrongSecret = await send(port, 'wake-mute.test', {
      headers: { [WAKE_ROUTE_HEADER]: 'mute', [WAKE_SECRET_HEADER]: 'guessed' },
    });
    expect(wrongSecret.status).toBe(403);
    const unknownRoute = await send(port, 'wake-mute.test', {
      headers: { ...waker.headers, [WAKE_ROUTE_HEADER]: 'no-such-route' },
    });
    expect(unknownRoute.status).toBe(403);
    const inspect = await rig.fixtures.client.request<{ State: { Running: boolean } }>(
      'GET',
      `/containers/${mute}/json`,
    );
    expect(inspect.State.Running).toBe(false);

    const timedOut = await send(rig.httpPort, 'wake-mute.test');
    expect(timedOut).toMatchObject({ status: 504, body: expect.stringContaining('within 1 s') });
    await waitFor('the failed wake is recorded', () =>
      Boolean(rig.controller.view('mute')?.reason),
    );
    expect(rig.controller.view('mute')).toMatchObject({ state: 'asleep', wakesToday: 0 });
    const failures = await rig.audit.page({
      limit: 10,
      action: 'proxy.route.wake',
      outcome: 'failure',
    });
    expect(failures.entries[0]).toMatchObject({ target: 'mute', details: { by: 'waker' } });
  });

  it('follows the engine: a target stopped by someone else points the route at the waker', async () => {
    const web = await httpContainer(rig.fixtures, 'wake-outside', BODY);
    await rig.fixtures.start(web.id);
    await rig.directory.add(
      wakeRoute('outside', 'wake-outside.test', containerTarget(web.name), {
        idleMinutes: 60,
        startTimeoutSeconds: 30,
      }),
    );
    await settled('outside', 'awake');
    await rig.fixtures.stop(web.id);
    await settled('outside', 'asleep');
    expect(rig.controller.pointsAtWaker('outside')).toBe(true);
    const woken = await send(rig.httpPort, 'wake-outside.test');
    expect(woken).toMatchObject({ status: 200, body: `${BODY}\n` });

    // Wake turned off: no timers, the route points at its target.
    const stored = rig.directory.get('outside');
    if (!stored) throw new Error('no route');
    rig.controller.routeChanged('outside', { ...stored, wake: null });
    expect(rig.controller.view('outside')).toBeNull();
    expect(rig.controller.pointsAtWaker('outside')).toBe(false);
  });
});
