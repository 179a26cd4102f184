import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../testing/wait-for.js';
import { WakeController } from '../wake-controller.js';
import { WakeStatsRepository } from '../wake-stats-repository.js';
import { testLogger } from '../../../../testing/silent-logger.js';
import {
  containerTarget,
  httpContainer,
  send,
  startWakeRig,
  wakeRoute,
  watchEvents,
  type WakeRig,
} from './wake-rig.js';
import type { ProxyTarget } from '@berth/contract';

let rig: WakeRig;

beforeAll(async () => {
  rig = await startWakeRig();
});

afterAll(async () => {
  await rig.close();
});

// RFC 6455's sample key and its accept value: the server below answers every upgrade with it.
const WS_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const WS_ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';
const WS_SCRIPT = [
  '#!/bin/sh',
  'while read -r line; do',
  '  line=$(printf "%s" "$line" | tr -d "\\r")',
  '  [ -z "$line" ] && break',
  'done',
  `printf 'HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ${WS_ACCEPT}\\r\\n\\r\\n'`,
  'exec cat',
].join('\n');

/** Opens a WebSocket upgrade through Caddy; resolves with the switched socket. */
function openUpgrade(port: number, hostname: string): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/socket',
      agent: false,
      headers: {
        host: hostname,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-key': WS_KEY,
        'sec-websocket-version': '13',
      },
    });
    req.on('upgrade', (res, socket) => {
      if (res.headers['sec-websocket-accept'] !== WS_ACCEPT) reject(new Error('wrong accept'));
      else resolve(socket);
    });
    req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

function stackTarget(stack: string, service: string): ProxyTarget {
  return { ...containerTarget(''), kind: 'stack-service', container: null, stack, service };
}

describe('wake activity and targets', () => {
  it('keeps a target awake while a WebSocket through Caddy is open, and lets it sleep once it closes', async () => {
    const ws = await rig.fixtures.createWith('wake-ws', {
      Cmd: [
        'sh',
        '-c',
        `printf '%s\\n' '${WS_SCRIPT.replace(/'/g, "'\\''")}' > /ws.sh && chmod +x /ws.sh && exec nc -ll -p 80 -e /ws.sh`,
      ],
      ExposedPorts: { '80/tcp': {} },
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    });
    await rig.fixtures.start(ws);
    const events = watchEvents(rig.host, ws);
    await rig.directory.add(
      wakeRoute('ws', 'wake-ws.test', containerTarget(rig.fixtures.name('wake-ws')), {
        idleMinutes: 0.1,
        startTimeoutSeconds: 30,
      }),
    );
    await waitFor(
      'awake at its target',
      () =>
        rig.controller.view('ws')?.state === 'awake' && rig.directory.pointsAt('ws') === 'target',
    );
    const socket = await openUpgrade(rig.httpPort, 'wake-ws.test');
    const echoed = new Promise<string>((resolve) =>
      socket.once('data', (d: Buffer) => resolve(d.toString())),
    );
    socket.write('ping\n');
    expect(await echoed).toBe('ping\n');
    const firstDeadline = Date.parse(rig.controller.view('ws')?.sleepsAt ?? '');

    // The idle deadline passes with the socket open: Caddy's upstream count keeps it awake.
    await waitFor(
      'a deadline check that found the open socket',
      () => Date.parse(rig.controller.view('ws')?.sleepsAt ?? '') > firstDeadline,
      30_000,
    );
    expect(rig.controller.view('ws')?.state).toBe('awake');
    expect(events.count('die')).toBe(0);

    // Closed: its access log line is the last activity; the next deadline stops it.
    const died = events.next('die');
    socket.destroy();
    await died;
    await waitFor('asleep', () => rig.controller.view('ws')?.state === 'asleep');
    expect(rig.controller.view('ws')?.sleepsToday).toBe(1);
    events.stop();
  });

  it('wakes a stack service with its depends_on chain, the dependency first', async () => {
    const project = `wake-stack-${rig.fixtures.runId}`;
    const labels = (service: string, dependsOn?: string) => ({
      'com.docker.compose.project': project,
      'com.docker.compose.service': service,
      ...(dependsOn ? { 'com.docker.compose.depends_on': dependsOn } : {}),
    });
    const db = await rig.fixtures.createWith('wake-stack-db', {
      Cmd: ['sleep', '300'],
      Labels: labels('db'),
    });
    const replica = await rig.fixtures.createWith('wake-stack-web', {
      Cmd: [
        'sh',
        '-c',
        `mkdir -p /www && echo 'the stack web answers' > /www/index.html && exec httpd -f -p 80 -h /www`,
      ],
      ExposedPorts: { '80/tcp': {} },
      HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
      Labels: labels('web', 'db:service_started:false'),
    });
    const order: string[] = [];
    const stop = rig.host.state.onEngineEvent((event) => {
      if (event.Type === 'container' && event.Action === 'start') order.push(event.Actor.ID);
    });
    await rig.directory.add(
      wakeRoute('stack', 'wake-stack.test', stackTarget(project, 'web'), {
        idleMinutes: 60,
        startTimeoutSeconds: 30,
      }),
    );
    await waitFor(
      'asleep at load',
      () =>
        rig.controller.view('stack')?.state === 'asleep' &&
        rig.directory.pointsAt('stack') === 'waker',
    );

    await rig.controller.wake('stack', 'alice');
    expect(order.filter((id) => id === db || id === replica)).toEqual([db, replica]);
    const answer = await send(rig.httpPort, 'wake-stack.test');
    expect(answer).toMatchObject({ status: 200, body: 'the stack web answers\n' });
    const entries = await rig.audit.page({ limit: 5, action: 'proxy.route.wake' });
    expect(entries.entries.find((e) => e.target === 'stack')).toMatchObject({
      username: 'alice',
      outcome: 'success',
      details: { by: 'alice', timeToHealthyMs: expect.any(Number) },
    });

    // Sleep stops the service's replicas, not its dependency.
    await rig.controller.sleep('stack', 'alice');
    const running = async (id: string) =>
      (
        await rig.fixtures.client.request<{ State: { Running: boolean } }>(
          'GET',
          `/containers/${id}/json`,
        )
      ).State.Running;
    expect(await running(replica)).toBe(false);
    expect(await running(db)).toBe(true);
    stop();
  });

  it('keeps its figures and reads asleep or awake from the engine after a restart', async () => {
    const web = await httpContainer(rig.fixtures, 'wake-restart', 'restart');
    const route = wakeRoute('restart', 'wake-restart.test', containerTarget(web.name), {
      idleMinutes: 60,
      startTimeoutSeconds: 30,
    });
    await rig.directory.add(route);
    await waitFor('asleep at load', () => rig.directory.pointsAt('restart') === 'waker');
    await rig.controller.wake('restart', 'alice');
    await rig.controller.sleep('restart', 'alice');
    const before = rig.controller.view('restart');

    // A second controller over the same database: what a restarted Berth builds.
    const again = new WakeController(
      rig.directory,
      rig.hosts,
      new WakeStatsRepository(rig.db),
      rig.audit,
      testLogger(),
      {
        wakerListen: { host: '127.0.0.1', port: 0 },
        wakerAddress: null,
      },
    );
    await again.start();
    try {
      again.routeChanged('restart', route);
      await waitFor(
        'loaded',
        () => again.view('restart')?.state === 'asleep' && again.view('restart')?.lastWakeAt,
      );
      expect(again.view('restart')).toMatchObject({
        wakesToday: 1,
        sleepsToday: 1,
        lastWakeAt: before?.lastWakeAt,
        lastSleepAt: before?.lastSleepAt,
        lastTimeToHealthyMs: before?.lastTimeToHealthyMs,
      });
    } finally {
      await again.stop();
    }
  });
});
