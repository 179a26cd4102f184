/**
 * Listing containers: Berth's state-backed `GET /api/hosts/local/containers` against the raw
 * engine's `GET /containers/json?all=1`, measured in the same run with the same client.
 */
import { Agent } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BENCH_SETUP_TOKEN,
  benchOptions,
  benchToken,
  freePort,
  get,
  percentile,
  requireEnv,
  startBerth,
  until,
  engineRequest,
} from './support.js';

const { containers, iterations } = benchOptions({ containers: 200, iterations: 300 });
const dockerHost = requireEnv('BERTH_BENCH_DOCKER_HOST');
const image = requireEnv('BERTH_TEST_IMAGE');
const socketPath = dockerHost.slice('unix://'.length);
const label = `io.berth.bench=${process.pid}`;

const engineAgent = new Agent({ keepAlive: true, maxSockets: 8 });
const berthAgent = new Agent({ keepAlive: true, maxSockets: 8 });

function engine(method: string, path: string, body?: unknown): Promise<string> {
  return engineRequest({ socketPath, agent: engineAgent }, method, path, body);
}

async function createContainers(): Promise<void> {
  const existing = JSON.parse(
    await engine(
      'GET',
      `/v1.41/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [label] }))}`,
    ),
  ) as unknown[];
  const todo = containers - existing.length;
  for (let i = 0; i < todo; i += 8) {
    const batch = Array.from({ length: Math.min(8, todo - i) }, (_, j) =>
      engine('POST', `/v1.41/containers/create?name=bench-${process.pid}-${i + j}`, {
        Image: image,
        Cmd: ['sleep', '3600'],
        Labels: { 'io.berth.bench': String(process.pid), 'com.docker.compose.project': 'bench' },
      }),
    );
    await Promise.all(batch);
  }
}

async function removeContainers(): Promise<void> {
  const list = JSON.parse(
    await engine(
      'GET',
      `/v1.41/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify({ label: [label] }))}`,
    ),
  ) as { Id: string }[];
  for (let i = 0; i < list.length; i += 8) {
    await Promise.all(
      list.slice(i, i + 8).map((c) => engine('DELETE', `/v1.41/containers/${c.Id}?force=1`)),
    );
  }
}

async function measure(
  call: () => Promise<string>,
): Promise<{ p50: number; p95: number; bytes: number }> {
  let bytes = 0;
  for (let i = 0; i < 20; i += 1) bytes = (await call()).length;
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), bytes };
}

const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
const port = await freePort();
await createContainers();
const berth = startBerth({
  BERTH_PORT: String(port),
  BERTH_HOST: '127.0.0.1',
  BERTH_TLS: 'off',
  BERTH_DATA_DIR: dataDir,
  BERTH_SETUP_TOKEN: BENCH_SETUP_TOKEN,
  BERTH_API_RATE_LIMIT: '1000000',
  DOCKER_HOST: dockerHost,
});
try {
  const token = await benchToken(port);
  const berthList = (): Promise<string> =>
    get({
      host: '127.0.0.1',
      port,
      path: '/api/hosts/local/containers?all=true',
      agent: berthAgent,
      headers: { authorization: `Bearer ${token}` },
    });
  await until('Berth to see every container', async () => {
    const body = JSON.parse(await berthList()) as { containers: unknown[] };
    return body.containers.length >= containers ? true : undefined;
  });

  // Alternate the two so both see the same machine conditions.
  const raw = await measure(() => engine('GET', '/v1.41/containers/json?all=1'));
  const state = await measure(berthList);
  const raw2 = await measure(() => engine('GET', '/v1.41/containers/json?all=1'));
  const state2 = await measure(berthList);
  const rawP50 = Math.min(raw.p50, raw2.p50);
  const rawP95 = Math.min(raw.p95, raw2.p95);
  const stateP50 = Math.min(state.p50, state2.p50);
  const stateP95 = Math.min(state.p95, state2.p95);

  const fmt = (n: number): string => n.toFixed(2).padStart(8);
  process.stdout.write(
    [
      '',
      `container list: ${containers} containers, ${iterations} requests per round, best of 2 rounds`,
      `                              p50 ms   p95 ms   bytes`,
      `engine GET /containers/json ${fmt(rawP50)} ${fmt(rawP95)}   ${raw.bytes}`,
      `berth  GET .../containers   ${fmt(stateP50)} ${fmt(stateP95)}   ${state.bytes}`,
      `ratio berth / engine        ${fmt(stateP50 / rawP50)}x${fmt(stateP95 / rawP95)}x`,
      '(Berth over plain HTTP on loopback with BERTH_TLS=off; the engine over its unix socket)',
      '',
    ].join('\n'),
  );
} finally {
  await berth.stop();
  await removeContainers();
  engineAgent.destroy();
  berthAgent.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}
