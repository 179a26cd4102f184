import type { MetricsSeries } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin, tokenFor, type ApiClient } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';
import { DEFAULT_METRICS } from '../metrics-parts.js';

// The sampler against the real engine: every second here (15 s by default), one-shot stats.
describe('metrics history', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let admin: ApiClient;
  let busy: string;
  let idle: string;
  let stack: string;

  const series = async (id: string, query = ''): Promise<MetricsSeries> => {
    const res = await admin.get(`/api/hosts/local/containers/${id}/metrics${query}`);
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    return res.json<MetricsSeries>();
  };

  beforeAll(async () => {
    t = await startTestApp({ metrics: { ...DEFAULT_METRICS, intervalSeconds: 1 } });
    admin = await setupAdmin(t.app);
    // Both belong to one compose project: the stack's totals are kept beside theirs.
    stack = `metrics-${fixtures.runId}`;
    const member = (service: string) => ({
      'com.docker.compose.project': stack,
      'com.docker.compose.service': service,
    });
    busy = await fixtures.createContainer(
      'metrics-busy',
      ['sh', '-c', 'while :; do :; done'],
      member('busy'),
    );
    idle = await fixtures.createContainer('metrics-idle', ['sleep', '300'], member('idle'));
    await Promise.all([fixtures.start(busy), fixtures.start(idle)]);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it("records a busy-looping container's CPU rising, and an idle one's staying low", async () => {
    const hot = await waitFor(
      'the busy container above 20% of a CPU',
      async () => {
        const s = await series(busy);
        return s.points.some((p) => p.cpuPercent > 20) && s;
      },
      60_000,
      200,
    );
    expect(hot).toMatchObject({
      subject: { kind: 'container', id: busy },
      resolution: 'raw',
      intervalSeconds: 1,
    });
    expect(hot.points.at(-1)?.memoryLimit).toBeGreaterThan(0);
    expect(hot.points.at(-1)?.pids).toBeGreaterThanOrEqual(1);
    // By the time the busy one was seen hot, the idle one has samples too, none of them busy.
    const cool = await waitFor('idle samples', async () => {
      const s = await series(idle);
      return s.points.length >= 2 && s;
    });
    expect(Math.max(...cool.points.map((p) => p.cpuPercent))).toBeLessThan(10);
    // The sampler's latest readings carry the counters Prometheus exports.
    const latest = t.services.metricsSampler.latest('local').find((s) => s.containerId === busy);
    expect(latest).toMatchObject({ hostId: 'local', cpuSecondsTotal: expect.any(Number) });
    expect(latest?.cpuSecondsTotal).toBeGreaterThan(0);
  });

  it("keeps the host's totals, the running containers counted", async () => {
    const host = await waitFor('host totals', async () => {
      const res = await admin.get('/api/hosts/local/metrics');
      const s = res.json<MetricsSeries>();
      return s.points.some((p) => p.pids >= 2 && p.cpuPercent > 20) && s;
    });
    expect(host.subject).toEqual({ kind: 'host', id: 'local', name: 'local' });
    expect(t.services.metricsSampler.latestHost('local')?.memoryTotal).toBeGreaterThan(0);
  });

  it("keeps a stack's totals over its running containers, and 404s a stack the host lacks", async () => {
    const totals = await waitFor('the stack’s totals with both containers', async () => {
      const res = await admin.get(`/api/hosts/local/stacks/${stack}/metrics`);
      if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
      const s = res.json<MetricsSeries>();
      return s.points.some((p) => p.pids === 2 && p.cpuPercent > 20) && s;
    });
    expect(totals.subject).toEqual({ kind: 'stack', id: stack, name: stack });
    // Two containers without limits: the ceiling is the host's memory, not twice it.
    const hostMemory = t.services.metricsSampler.latestHost('local')?.memoryTotal ?? 0;
    expect(hostMemory).toBeGreaterThan(0);
    for (const p of totals.points) expect(p.memoryLimit).toBeLessThanOrEqual(hostMemory);
    // Each raw point of the stack is the sum of its containers' at the same round.
    const recent = `?from=${new Date(Date.now() - 300_000).toISOString()}&step=1`;
    const [ofStack, ofBusy, ofIdle] = await Promise.all([
      admin.get(`/api/hosts/local/stacks/${stack}/metrics${recent}`),
      series(busy, recent),
      series(idle, recent),
    ]).then(([res, b, i]) => [res.json<MetricsSeries>(), b, i] as const);
    const at = (s: MetricsSeries) => new Map(s.points.map((p) => [p.at, p]));
    const busyAt = at(ofBusy);
    const idleAt = at(ofIdle);
    const both = ofStack.points.filter((p) => busyAt.has(p.at) && idleAt.has(p.at));
    expect(both.length).toBeGreaterThan(0);
    for (const p of both) {
      const [b, i] = [busyAt.get(p.at), idleAt.get(p.at)];
      expect(p.memory).toBeCloseTo((b?.memory ?? 0) + (i?.memory ?? 0), -1);
      expect(p.cpuPercent).toBeCloseTo((b?.cpuPercent ?? 0) + (i?.cpuPercent ?? 0), 0);
    }
    const missing = await admin.get('/api/hosts/local/stacks/no-such-stack/metrics');
    expect(missing.statusCode).toBe(404);
    const badName = await admin.get('/api/hosts/local/stacks/Bad%20Name/metrics');
    expect(badName.statusCode).toBe(400);
  });

  it("sends each round's host and stack totals on the host's events stream", async () => {
    const bearer = await tokenFor(admin, 'metrics-events');
    const events = await WsRecorder.open(t.app, '/api/hosts/local/events', bearer.headers);
    try {
      const round = await events.waitFor('a metrics round with the stack', () =>
        events
          .of('metrics')
          .find((m) => (m.stacks as Record<string, { pids: number }>)[stack]?.pids === 2),
      );
      expect(round).toMatchObject({
        host: 'local',
        totals: { at: expect.any(String), cpuPercent: expect.any(Number) },
      });
      const totals = round.totals as { pids: number; memory: number };
      expect(totals.pids).toBeGreaterThanOrEqual(2);
      const ofStack = (round.stacks as Record<string, { memory: number }>)[stack];
      expect(ofStack?.memory).toBeLessThanOrEqual(totals.memory);
    } finally {
      events.close();
    }
  });

  it('stops sampling a container once it stops, its history kept', async () => {
    await fixtures.stop(busy);
    await waitFor(
      'the stopped container out of the latest readings',
      () => !t.services.metricsSampler.latest('local').some((s) => s.containerId === busy),
      30_000,
    );
    const before = (await series(busy)).points.length;
    expect(before).toBeGreaterThan(0);
    // Two more rounds of the host: nothing new for the stopped container.
    let rounds = 0;
    await new Promise<void>((resolve) => {
      const off = t.services.metricsSampler.onSamples((hostId) => {
        if (hostId !== 'local' || ++rounds < 2) return;
        off();
        resolve();
      });
    });
    const after = await series(busy);
    // The last point's bucket may have folded one more reading in, never a new bucket later.
    expect(after.points.length).toBeLessThanOrEqual(before + 1);
  });

  it('answers bad ranges with a 400 naming the field, and an unknown container with a 404', async () => {
    const backwards = await admin.get(
      `/api/hosts/local/containers/${idle}/metrics?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`,
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json<{ error: { details: { field: string } } }>().error.details.field).toBe(
      'from',
    );
    const badStep = await admin.get(`/api/hosts/local/containers/${idle}/metrics?step=fast`);
    expect(badStep.statusCode).toBe(400);
    expect(badStep.body).toContain('step');
    const tooLong = await admin.get(
      `/api/hosts/local/metrics?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`,
    );
    expect(tooLong.statusCode).toBe(400);
    expect((await admin.get('/api/hosts/local/containers/no-such-thing/metrics')).statusCode).toBe(
      404,
    );
  });
});
