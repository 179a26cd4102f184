import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestPrometheus,
  type TestPrometheus,
} from '../../../../../../scripts/lib/test-prometheus.mjs';
import {
  serverCertificate,
  startListeningApp,
  type ListeningApp,
} from '../../../testing/agent-process.js';
import { setupAdmin, userSession } from '../../../testing/api-client.js';
import { DEFAULT_METRICS } from '../../metrics/metrics-parts.js';
import { EngineFixtures, TEST_IMAGE } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

interface QueryAnswer {
  status: string;
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}
interface TargetsAnswer {
  data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
}

/** Debian's Prometheus scraping Berth over HTTPS on loopback, and asked over its HTTP API. */
describe("a real Prometheus scrapes Berth's /metrics", () => {
  const fixtures = new EngineFixtures();
  const dir = mkdtempSync(join(tmpdir(), 'berth-prom-tls-'));
  let t: ListeningApp;
  let prometheus: TestPrometheus;
  let name: string;

  async function query(promql: string): Promise<QueryAnswer['data']['result']> {
    const url = `${prometheus.url}/api/v1/query?${new URLSearchParams({ query: promql }).toString()}`;
    const res = await fetch(url);
    const answer = (await res.json()) as QueryAnswer;
    if (answer.status !== 'success') throw new Error(`query failed: ${JSON.stringify(answer)}`);
    return answer.data.result;
  }

  async function target(job: string): Promise<{ health: string; lastError: string } | undefined> {
    const res = await fetch(`${prometheus.url}/api/v1/targets?state=active`);
    const answer = (await res.json()) as TargetsAnswer;
    return answer.data.activeTargets.find((x) => x.labels.job === job);
  }

  beforeAll(async () => {
    // The metrics sampler every second: the container series come from its last round.
    t = await startListeningApp(await serverCertificate(dir, 'prometheus'), {
      metrics: { ...DEFAULT_METRICS, intervalSeconds: 1 },
    });
    const admin = await setupAdmin(t.app);
    const viewer = await userSession(admin, 'prom-viewer', 'viewer');
    const secret = async (scope: 'api' | 'metrics') => {
      const res = await viewer.post('/api/me/tokens', { name: `prometheus-${scope}`, scope });
      if (res.statusCode !== 201) throw new Error(`token: ${res.statusCode} ${res.body}`);
      return res.json<{ secret: string }>().secret;
    };
    const id = await fixtures.createContainer('prom');
    name = fixtures.name('prom');
    await fixtures.start(id);
    const address = new URL(t.base).host;
    prometheus = await startTestPrometheus({
      jobs: [
        { name: 'berth', target: address, scheme: 'https', token: await secret('metrics') },
        { name: 'no-token', target: address, scheme: 'https' },
        { name: 'api-token', target: address, scheme: 'https', token: await secret('api') },
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await prometheus.stop();
    await t.close();
    await fixtures.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    "has the container's series once it scraped with the token",
    { timeout: 150_000 },
    async () => {
      const result = await waitFor(
        'Prometheus to hold the container state series',
        async () => {
          const found = await query(`berth_container_state{name="${name}",state="running"}`);
          return found.length > 0 ? found : undefined;
        },
        60_000,
        250,
      );
      expect(result[0]?.metric).toMatchObject({ job: 'berth', host: 'local', name });
      expect(result[0]?.value[1]).toBe('1');
      // The container's CPU series, named and labelled as cAdvisor's.
      const cpu = await waitFor(
        'Prometheus to hold the container CPU series',
        async () => {
          const found = await query(`container_cpu_usage_seconds_total{name="${name}"}`);
          return found.length > 0 ? found : undefined;
        },
        60_000,
        250,
      );
      expect(cpu[0]?.metric).toMatchObject({
        job: 'berth',
        host: 'local',
        name,
        image: TEST_IMAGE,
      });
      // Not a compose container: its empty compose labels are no labels to Prometheus.
      expect(cpu[0]?.metric.compose_project).toBeUndefined();
      expect(Number(cpu[0]?.value[1])).toBeGreaterThanOrEqual(0);
      const memory = await query(`container_memory_working_set_bytes{name="${name}"}`);
      expect(Number(memory[0]?.value[1])).toBeGreaterThan(0);
      const up = await query('up{job="berth"}');
      expect(up[0]?.value[1]).toBe('1');
      // Its own scrapes, counted by Berth (a scrape is counted once it is answered: the next one
      // carries it), with the refused ones beside them.
      const scrapes = await waitFor(
        'the scrapes to be counted',
        async () => {
          const found = await query('berth_http_requests_total{route="/metrics"}');
          return found.length >= 3 ? found : undefined;
        },
        60_000,
        250,
      );
      expect(scrapes.map((s) => s.metric.status).sort()).toEqual(['200', '401', '403']);
    },
  );

  it(
    'is refused without a token (401) and with a non-admin api token (403)',
    { timeout: 90_000 },
    async () => {
      const refused = await waitFor(
        'both refused scrapes to be recorded',
        async () => {
          const [anonymous, api] = [await target('no-token'), await target('api-token')];
          return anonymous?.lastError && api?.lastError ? { anonymous, api } : undefined;
        },
        60_000,
        250,
      );
      expect(refused.anonymous.health).toBe('down');
      expect(refused.anonymous.lastError).toContain('401');
      expect(refused.api.health).toBe('down');
      expect(refused.api.lastError).toContain('403');
    },
  );
});
