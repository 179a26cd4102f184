import type { ContainerDetail, ExecResult, LogLineView } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';

/** The logs stream's history window (tail, since, until) for stopped and running containers. */
describe('log stream history windows', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let viewer: ApiClient;
  let operator: ApiClient;
  let exited: string;
  let twoPhase: string;
  /** When twoPhase wrote `late` (two seconds after `early`), as the engine stamped it. */
  let lateAt: string;

  const texts = (r: WsRecorder): unknown[] => r.logLines().map((line) => line.text);
  const ws = (path: string): Promise<WsRecorder> => WsRecorder.open(t.app, path, viewer.headers);

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'window-op', 'operator');
    viewer = await tokenFor(await userSession(admin, 'window-viewer', 'viewer'));
    exited = await fixtures.createContainer('exited', [
      'sh',
      '-c',
      'for i in $(seq 1 30); do echo exited-line-$i; done',
    ]);
    twoPhase = await fixtures.createContainer('two-phase', [
      'sh',
      '-c',
      'echo early; sleep 2; echo late; sleep 300',
    ]);
    await fixtures.start(exited);
    await fixtures.start(twoPhase);
    await waitFor('the short container to exit', async () => {
      const detail = await operator.get(`/api/hosts/local/containers/${exited}`);
      return detail.json<ContainerDetail>().state === 'exited';
    });
    lateAt = await waitFor('the late line', async () => {
      const page = (
        await operator.get(`/api/hosts/local/containers/${twoPhase}/logs?timestamps=true`)
      ).json<{ lines: LogLineView[] }>();
      return page.lines.find((line) => line.text === 'late')?.timestamp ?? undefined;
    });
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it("sends a stopped container's history (its tail) before saying the stream ended", async () => {
    const r = await ws(`/api/hosts/local/containers/${exited}/logs/stream?tail=5`);
    await r.whenClosed();
    expect(texts(r)).toEqual([26, 27, 28, 29, 30].map((n) => `exited-line-${n}`));
    expect(r.texts.at(-1)).toEqual({ type: 'end', reason: 'the container stopped' });

    const all = await ws(`/api/hosts/local/containers/${exited}/logs/stream?tail=all`);
    await all.whenClosed();
    expect(all.logLines()).toHaveLength(30);
  });

  it('gives each viewer of one shared upstream its own since, and both the live lines', async () => {
    const key = `local/${twoPhase}`;
    const sinceLate = String(Math.floor(Date.parse(lateAt) / 1000));
    const everything = await ws(`/api/hosts/local/containers/${twoPhase}/logs/stream`);
    const recent = await ws(
      `/api/hosts/local/containers/${twoPhase}/logs/stream?since=${encodeURIComponent(lateAt)}`,
    );
    const recentUnix = await ws(
      `/api/hosts/local/containers/${twoPhase}/logs/stream?since=${sinceLate}`,
    );
    await everything.waitFor('all history', () => texts(everything).length >= 2);
    await recent.waitFor('recent history', () => texts(recent).length >= 1);
    await recentUnix.waitFor('recent history', () => texts(recentUnix).length >= 1);
    expect(t.services.containerStreams.logs.subscribers(key)).toBe(3);
    expect(t.services.containerStreams.logs.active(key)).toBe(1);

    const exec = await operator.post(`/api/hosts/local/containers/${twoPhase}/exec`, {
      command: ['sh', '-c', 'echo live-line > /proc/1/fd/1'],
    });
    expect(exec.json<ExecResult>().exitCode).toBe(0);
    for (const r of [everything, recent, recentUnix])
      await r.waitFor('the live line', () => texts(r).includes('live-line'));
    expect(texts(everything)).toEqual(['early', 'late', 'live-line']);
    expect(texts(recent)).toEqual(['late', 'live-line']);
    expect(texts(recentUnix)).toEqual(['late', 'live-line']);
    for (const r of [everything, recent, recentUnix]) r.close();
    await waitFor('upstream stopped', () => t.services.containerStreams.logs.active(key) === 0);
  });

  it('with until, sends the history up to then and ends without following', async () => {
    const started = t.services.containerStreams.logs.started;
    const before = new Date(Date.parse(lateAt) - 1000).toISOString();
    const r = await ws(
      `/api/hosts/local/containers/${twoPhase}/logs/stream?until=${encodeURIComponent(before)}`,
    );
    await r.whenClosed();
    expect(texts(r)).toEqual(['early']);
    expect(r.of('end')).toHaveLength(1);
    expect(t.services.containerStreams.logs.started).toBe(started);
  });

  it('refuses a since that is not a time, naming the field', async () => {
    const res = await viewer.get(
      `/api/hosts/local/containers/${twoPhase}/logs/stream?since=yesterday`,
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('since');
  });
});
