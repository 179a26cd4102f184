/**
 * The metrics sampler's cost and the history's read time, on the built server as `npm start`
 * runs it:
 * - `--containers` (100) running containers; Berth started twice on the same data, once with
 *   the sampler off (BERTH_METRICS_INTERVAL=0) and once at `--interval` (15 s); over a
 *   `--window` (60 s) each, the CPU time of Berth and of dockerd as a share of one core, so the
 *   sampler's own cost is the difference (aim: ≤ 2% of a core for Berth);
 * - 30 days of one container's history (raw samples for the last day, 1-minute rollups for 7
 *   days, 15-minute for 30) written to the database first, then `GET …/metrics` over 1 h, 24 h,
 *   7 d and 30 d: p50 and p95 over `--reads` (30) each.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '../packages/server/src/core/db/database.js';
import type { MetricPointsTable } from '../packages/server/src/core/db/schema.js';
import { cpuMs, dockerdPid } from './agent-probes.js';
import {
  BENCH_SETUP_TOKEN,
  benchOptions,
  benchToken,
  callTls,
  engineRequest,
  freePort,
  percentile,
  requireEnv,
  startBerth,
  until,
} from './support.js';

const { containers, interval, window, reads } = benchOptions({
  containers: 100,
  interval: 15,
  window: 60,
  reads: 30,
});
const dockerHost = requireEnv('BERTH_BENCH_DOCKER_HOST');
const image = requireEnv('BERTH_TEST_IMAGE');
const socketPath = dockerHost.slice('unix://'.length);
const engineAgent = new Agent({ keepAlive: true, maxSockets: 8 });
const tls = new HttpsAgent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: false });
const engine = (path: string, method = 'GET', body?: unknown): Promise<string> =>
  engineRequest({ socketPath, agent: engineAgent }, method, path, body);
const label = `io.berth.bench.metrics=${randomBytes(4).toString('hex')}`;
const [labelKey = '', labelValue = ''] = label.split('=');

async function startContainers(): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < containers; i += 1) {
    const created = JSON.parse(
      await engine('/containers/create', 'POST', {
        Image: image,
        Cmd: ['sleep', '3600'],
        Labels: { [labelKey]: labelValue },
        StopTimeout: 1,
      }),
    ) as { Id: string };
    await engine(`/containers/${created.Id}/start`, 'POST');
    ids.push(created.Id);
  }
  return ids;
}

/** 30 days of one container: what 15-second sampling leaves after its rollups and retention. */
async function seedHistory(databaseFile: string, containerId: string): Promise<number> {
  const db = openDatabase(databaseFile);
  await migrateToLatest(db);
  const now = Math.floor(Date.now() / 1000);
  const rows: MetricPointsTable[] = [];
  const row = (resolution: number, bucket: number, n: number): MetricPointsTable => {
    const cpu = 20 + 15 * Math.sin(bucket / 3600);
    return {
      host_id: 'local',
      subject: containerId,
      resolution,
      bucket,
      n,
      cpu,
      cpu_max: cpu * 1.5,
      mem: 64e6,
      mem_max: 80e6,
      mem_limit: 2e9,
      rx: 1000,
      tx: 500,
      rd: 0,
      wr: 4096,
      pids: 3,
    };
  };
  for (let t = now - 86_400; t < now; t += interval) rows.push(row(0, t, 1));
  for (let t = now - 7 * 86_400; t < now; t += 60) rows.push(row(60, t - (t % 60), 4));
  for (let t = now - 30 * 86_400; t < now; t += 900) rows.push(row(900, t - (t % 900), 60));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('metric_points')
      .values(rows.slice(i, i + 500))
      .execute();
  await db.destroy();
  return rows.length;
}

/** Berth and dockerd CPU over the window, each as a percentage of one core. */
async function cpuShare(pid: number): Promise<{ berth: number; dockerd: number | null }> {
  const dockerd = dockerdPid(socketPath);
  const before = { berth: cpuMs(pid), dockerd: dockerd ? cpuMs(dockerd) : 0 };
  await new Promise((resolve) => setTimeout(resolve, window * 1000));
  const share = (ms: number): number => (ms / (window * 1000)) * 100;
  return {
    berth: share(cpuMs(pid) - before.berth),
    dockerd: dockerd ? share(cpuMs(dockerd) - before.dockerd) : null,
  };
}

async function run(dataDir: string, metricsInterval: number) {
  const port = await freePort();
  const berth = startBerth({
    BERTH_HOST: '127.0.0.1',
    BERTH_PORT: String(port),
    BERTH_DATA_DIR: dataDir,
    BERTH_SETUP_TOKEN: BENCH_SETUP_TOKEN,
    BERTH_METRICS_INTERVAL: String(metricsInterval),
    BERTH_API_RATE_LIMIT: '100000',
    DOCKER_HOST: dockerHost,
  });
  await until('Berth to answer', async () =>
    (await callTls(port, tls, 'GET', '/api/health')).status === 200 ? true : undefined,
  );
  const pid = berth.child.pid;
  if (pid === undefined) throw new Error('no pid');
  // Settled: the first rounds (and the start itself) out of the window.
  await new Promise((resolve) => setTimeout(resolve, Math.max(5, interval) * 1000));
  return { port, berth, cpu: await cpuShare(pid) };
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const pct = (n: number | null): string => (n === null ? 'n/a' : `${n.toFixed(2)}%`);
const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-metrics-'));
const ids = await startContainers();
try {
  const historyId = randomBytes(32).toString('hex');
  const seeded = await seedHistory(join(dataDir, 'berth.db'), historyId);
  const off = await run(dataDir, 0);
  await off.berth.stop();
  const on = await run(dataDir, interval);
  try {
    say(`metrics sampler, ${containers} running containers, ${window} s windows:`);
    say(`  sampler off:      Berth ${pct(off.cpu.berth)}, dockerd ${pct(off.cpu.dockerd)}`);
    say(`  every ${interval} s:      Berth ${pct(on.cpu.berth)}, dockerd ${pct(on.cpu.dockerd)}`);
    say(
      `  the sampler's own: Berth ${pct(on.cpu.berth - off.cpu.berth)} of a core, dockerd ${pct(
        on.cpu.dockerd === null || off.cpu.dockerd === null
          ? null
          : on.cpu.dockerd - off.cpu.dockerd,
      )}`,
    );
    const token = await benchToken(on.port, tls);
    say(`history of one container (${seeded} rows seeded, 30 days):`);
    for (const [name, hours] of [
      ['1 h', 1],
      ['24 h', 24],
      ['7 d', 168],
      ['30 d', 720],
    ] as const) {
      const from = new Date(Date.now() - hours * 3_600_000).toISOString();
      const path = `/api/hosts/local/containers/${historyId}/metrics?from=${from}`;
      const times: number[] = [];
      let points = 0;
      for (let i = 0; i < reads; i += 1) {
        const started = performance.now();
        const answer = await callTls(on.port, tls, 'GET', path, {
          authorization: `Bearer ${token}`,
        });
        times.push(performance.now() - started);
        if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.body}`);
        points = (JSON.parse(answer.body) as { points: unknown[] }).points.length;
      }
      times.sort((a, b) => a - b);
      say(
        `  ${name.padEnd(5)} ${String(points).padStart(5)} points: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`,
      );
    }
  } finally {
    await on.berth.stop();
  }
} finally {
  await Promise.all(
    ids.map((id) => engine(`/containers/${id}?force=true`, 'DELETE').catch(() => '')),
  );
  rmSync(dataDir, { recursive: true, force: true });
}
