import type { ServiceChange, ServiceDetail, ServiceList, TaskList } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor } from '../../../testing/api-client.js';
import {
  startSwarmEngine,
  type SwarmEngine,
  SWARM_SETUP_TIMEOUT,
} from '../../../testing/swarm-engine.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { TEST_IMAGE } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';

const V2 = 'berth-test/busybox-v2:2';
const LOOP =
  'echo "hello from $HOSTNAME"; i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 1; done';
const BASE = '/api/hosts/local/services';

/**
 * Services on a one-node swarm of the file's own: create, scale, a rolling update watched
 * task by task, Berth's rollback (manual) and the engine's (automatic), logs, removal.
 */
describe('swarm services', () => {
  let swarm: SwarmEngine;
  let t: TestApp;
  let admin: ApiClient;
  let events: WsRecorder;

  beforeAll(async () => {
    swarm = await startSwarmEngine();
    t = await startTestApp({ endpoint: swarm.endpoint });
    await t.hosts.get('local')?.state.whenSynced();
    admin = await tokenFor(await setupAdmin(t.app));
    // The same image under a second name: a different image reference to swarm.
    const [repo, tag] = V2.split(':');
    await swarm.client.request('POST', `/images/${encodeURIComponent(TEST_IMAGE)}/tag`, {
      query: { repo, tag },
    });
    events = await WsRecorder.open(t.app, '/api/hosts/local/events', admin.headers);
  }, SWARM_SETUP_TIMEOUT);
  afterAll(async () => {
    events.close();
    await t.close();
    await swarm.stop();
  });

  const service = async (): Promise<ServiceDetail> =>
    (await admin.get(`${BASE}/web`)).json<ServiceDetail>();
  const tasks = async (): Promise<TaskList['tasks']> =>
    (await admin.get(`${BASE}/web/tasks`)).json<TaskList>().tasks;
  const running = (list: TaskList['tasks'], image?: string) =>
    list.filter(
      (t) => t.state === 'running' && t.desiredState === 'running' && (!image || t.image === image),
    );

  it('creates a service of 3 replicas and scales it to 5', async () => {
    const res = await admin.post(BASE, {
      name: 'web',
      image: TEST_IMAGE,
      replicas: 3,
      command: ['sh', '-c', LOOP],
      stopGracePeriod: '1s',
      labels: { 'com.docker.stack.namespace': 'shop' },
      updateConfig: { parallelism: 1, delay: '0s', monitor: '1s', order: 'stop-first' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<ServiceChange>();
    expect(created.service).toMatchObject({ name: 'web', mode: 'replicated', replicas: 3 });
    expect(created.cli).toContain('docker service create --name web --replicas 3');
    await waitFor('3 tasks running', async () => running(await tasks()).length === 3, 60_000);
    const list = (await admin.get(BASE)).json<ServiceList>().services;
    expect(list).toEqual([
      expect.objectContaining({ name: 'web', running: 3, desired: 3, stack: 'shop' }),
    ]);

    const firstThree = running(await tasks()).map((x) => x.id);
    const scaled = await admin.post(`${BASE}/web/scale`, { replicas: 5 });
    expect(scaled.statusCode, scaled.body).toBe(200);
    expect(scaled.json<ServiceChange>().cli).toBe('docker service scale web=5');
    await waitFor('5 tasks running', async () => running(await tasks()).length === 5, 60_000);
    await waitFor('the list counts 5 running', async () => {
      const [web] = (await admin.get(BASE)).json<ServiceList>().services;
      return web?.running === 5 && web.desired === 5;
    });
    // Scaling adds tasks: the first three were not replaced.
    const now = running(await tasks()).map((x) => x.id);
    expect(now).toEqual(expect.arrayContaining(firstThree));
    expect((await service()).update).toBeNull();
    const task = running(await tasks())[0];
    expect(task).toMatchObject({ serviceName: 'web', nodeId: swarm.nodeId, image: TEST_IMAGE });
    expect(task?.nodeHostname).toBeTruthy();
    expect(task?.containerId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rolls a new image out one task at a time, and refuses a stale version', async () => {
    const before = await service();
    const oldIds = new Set(running(await tasks()).map((t) => t.id));
    const res = await admin.patch(`${BASE}/web`, { version: before.version, image: V2 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ServiceChange>().cli).toBe(`docker service update --image ${V2} web`);

    const stale = await admin.patch(`${BASE}/web`, { version: before.version, replicas: 2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<{ error: { code: string } }>().error.code).toBe('service_changed');

    // Old tasks stop one by one while new ones run: never more than one slot in flight.
    const oldRunning: number[] = [];
    await waitFor(
      'every task on the new image',
      async () => {
        const list = await tasks();
        const old = running(list).filter((t) => oldIds.has(t.id)).length;
        if (oldRunning.at(-1) !== old) oldRunning.push(old);
        expect(running(list).length).toBeGreaterThanOrEqual(4);
        return running(list, V2).length === 5;
      },
      90_000,
    );
    expect(oldRunning.at(-1)).toBe(0);
    for (let i = 1; i < oldRunning.length; i += 1)
      expect(oldRunning[i]).toBeLessThan(oldRunning[i - 1] ?? 6);
    const shut = (await tasks()).filter((t) => oldIds.has(t.id));
    expect(shut.every((t) => t.desiredState === 'shutdown')).toBe(true);
    await waitFor('update completed', async () => (await service()).update?.state === 'completed');

    const swarmMessages = events.of('swarm-change');
    expect(swarmMessages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'service', name: 'web', updateState: 'updating' }),
        expect.objectContaining({ kind: 'task', action: 'start', service: before.id }),
        expect.objectContaining({ kind: 'task', action: 'die', service: before.id }),
        // Followed while the update runs (what a task on another node would show too).
        expect.objectContaining({ kind: 'task', action: 'shutdown', service: before.id }),
        expect.objectContaining({ kind: 'task', action: 'running', service: before.id }),
      ]),
    );
    await events.waitFor('the completed update on the events stream', () =>
      events.of('swarm-change').find((m) => m.kind === 'service' && m.updateState === 'completed'),
    );
    expect((await service()).previousImage).toBe(TEST_IMAGE);
  });

  it("shows Berth's rollback as a manual one", async () => {
    const res = await admin.post(`${BASE}/web/rollback`);
    expect(res.statusCode, res.body).toBe(200);
    const change = res.json<ServiceChange>();
    expect(change.cli).toBe('docker service rollback web');
    expect(change.service.update).toMatchObject({ state: 'rollback_started', rollback: 'manual' });
    const done = await waitFor(
      'the rollback completed',
      async () => {
        const s = await service();
        return s.update?.state === 'rollback_completed' && s;
      },
      90_000,
    );
    expect(done.update?.rollback).toBe('manual');
    expect(done.image).toBe(TEST_IMAGE);
  });

  it("shows the engine's rollback of a failing update as automatic", async () => {
    const { version, update: before } = await service();
    const res = await admin.patch(`${BASE}/web`, {
      version,
      command: ['sh', '-c', 'echo failing; exit 1'],
      updateConfig: { failureAction: 'rollback', monitor: '10s', parallelism: 1 },
    });
    expect(res.statusCode, res.body).toBe(200);
    // Until the engine starts the update, the service still shows the manual rollback before.
    const done = await waitFor(
      'the automatic rollback completed',
      async () => {
        const s = await service();
        const fresh = s.update?.startedAt !== before?.startedAt;
        return s.update?.state === 'rollback_completed' && fresh && s;
      },
      90_000,
    );
    expect(done.update?.rollback).toBe('automatic');
    expect(done.command).toEqual(['sh', '-c', LOOP]);
    await waitFor('5 running again', async () => running(await tasks()).length === 5, 60_000);
    const failed = (await tasks()).filter((t) => t.error !== null || t.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
  });

  it('reads the logs of every task merged, of one task, and follows them live', async () => {
    const page = await admin.get(`${BASE}/web/logs?tail=all&timestamps=true`);
    expect(page.statusCode, page.body).toBe(200);
    const { lines, cli } = page.json<{
      lines: { text: string; task: string | null }[];
      cli: string;
    }>();
    expect(cli).toBe('docker service logs --tail all --timestamps web');
    expect(lines.some((l) => l.text.startsWith('hello from'))).toBe(true);
    const times = (lines as unknown as { timestamp: string }[]).map((l) => l.timestamp);
    expect(times).toEqual([...times].sort());
    const taskIds = new Set(lines.map((l) => l.task));
    expect(taskIds.size).toBeGreaterThan(1);
    const one = running(await tasks()).find((t) => taskIds.has(t.id))?.id ?? '';
    const single = await admin.get(`${BASE}/web/logs?tail=all&task=${one}`);
    expect(single.json<{ lines: { task: string }[] }>().lines.every((l) => l.task === one)).toBe(
      true,
    );

    // Followed, every task merged: the history comes in time order too.
    const merged = await WsRecorder.open(
      t.app,
      `${BASE}/web/logs/stream?tail=3&timestamps=true`,
      admin.headers,
    );
    await merged.waitFor('merged history', () => merged.logLines().length >= 10);
    const mergedTimes = merged
      .logLines()
      .slice(0, 10)
      .map((l) => String(l.timestamp));
    expect(mergedTimes).toEqual([...mergedTimes].sort());
    merged.close();
    const viewers = await Promise.all(
      [0, 1].map(() =>
        WsRecorder.open(t.app, `${BASE}/web/logs/stream?tail=2&task=${one}`, admin.headers),
      ),
    );
    const [a, b] = viewers;
    if (!a || !b) throw new Error('no viewers');
    await a.waitFor('history', () => a.logLines().length >= 2);
    const ticks = (r: WsRecorder) =>
      r.logLines().map((l) => Number(/tick (\d+)/.exec(String(l.text))?.[1] ?? 0));
    const first = Math.max(...ticks(a));
    await a.waitFor('a live line after the history', () => Math.max(...ticks(a)) > first + 1);
    await b.waitFor('the second viewer too', () => Math.max(...ticks(b)) > first + 1);
    expect(t.services.serviceLogs.streams.active()).toBe(1);
    for (const v of viewers) v.close();
    await waitFor('the upstream stopped', () => t.services.serviceLogs.streams.active() === 0);
  });

  it('shows an update the engine paused on a failure, and resumes it', async () => {
    const notPaused = await admin.post(`${BASE}/web/resume`);
    expect(notPaused.statusCode).toBe(409);
    expect(notPaused.json<{ error: { code: string } }>().error.code).toBe('update_not_paused');
    const { version } = await service();
    const res = await admin.patch(`${BASE}/web`, {
      version,
      command: ['sh', '-c', 'exit 3'],
      updateConfig: { failureAction: 'pause', monitor: '10s', parallelism: 1 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const paused = await waitFor(
      'the update paused',
      async () => {
        const s = await service();
        return s.update?.state === 'paused' && s;
      },
      90_000,
    );
    expect(paused.update?.message).toMatch(/^update paused due to failure/);
    expect(paused.update?.rollback).toBeNull();
    const resumed = await admin.post(`${BASE}/web/resume`);
    expect(resumed.statusCode, resumed.body).toBe(200);
    expect(resumed.json<ServiceChange>().cli).toBe('docker service update web');
    await waitFor(
      'a new update started',
      async () => (await service()).update?.startedAt !== paused.update?.startedAt,
      60_000,
    );
  });

  it('refuses bad input naming the field, and creates nothing', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ name: 'g', image: TEST_IMAGE, mode: 'global', replicas: 2 }, 'body.replicas'],
      [{ name: 'p', image: TEST_IMAGE, ports: [{ target: 70000 }] }, 'body.ports.0.target'],
      [{ name: 'bad name!', image: TEST_IMAGE }, 'body.name'],
      [{ name: 'd', image: TEST_IMAGE, stopGracePeriod: 'soon' }, 'body.stopGracePeriod'],
      [{ name: 'c', image: TEST_IMAGE, constraints: ['node.role'] }, 'body.constraints.0'],
      [{ name: 's', image: TEST_IMAGE, secrets: [{ name: 'nope' }] }, 'body.secrets.0.name'],
      [{ name: 'x', image: TEST_IMAGE, surprise: 1 }, 'body.surprise'],
    ];
    for (const [body, field] of bad) {
      const res = await admin.post(BASE, body);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      const issues = res.json<{ error: { details: { issues: { field: string }[] } } }>().error
        .details.issues;
      expect(issues.map((i) => i.field)).toContain(field);
    }
    const noVersion = await admin.patch(`${BASE}/web`, { image: V2 });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.body).toContain('body.version');
    const badScale = await admin.post(`${BASE}/web/scale`, { replicas: -1 });
    expect(badScale.statusCode).toBe(400);
    expect(badScale.body).toContain('body.replicas');
    expect((await admin.get(`${BASE}/nope`)).statusCode).toBe(404);
    const names = (await admin.get(BASE)).json<ServiceList>().services.map((s) => s.name);
    expect(names).toEqual(['web']);
  });

  it('removes the service and its tasks', async () => {
    const res = await admin.delete(`${BASE}/web`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ cli: string }>().cli).toBe('docker service rm web');
    expect((await admin.get(BASE)).json<ServiceList>().services).toEqual([]);
    await waitFor(
      'no task left',
      async () => {
        const all = (await admin.get('/api/hosts/local/tasks')).json<TaskList>().tasks;
        return all.length === 0;
      },
      60_000,
    );
  });
});
