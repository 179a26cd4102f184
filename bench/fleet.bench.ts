/**
 * A fleet: `--hosts` host entries (20) with `--containers` created containers each (500), on
 * the bench engine plus `--engines` more isolated dockerds (2), each engine reached through
 * several host entries (a socket proxy each, added with allowDuplicate). Measured in the same
 * run: each raw engine's `GET /containers/json?all=1`; Berth's `GET /api/fleet` (p95 and size)
 * and `GET /api/fleet/containers`, before and after one host entry goes dark mid-run; and
 * Berth's memory per added host (RSS and heap deltas).
 */
import { Agent } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startIsolatedEngine, type IsolatedEngine } from '../scripts/lib/isolated-engine.mjs';
import { buildTestImages } from '../scripts/lib/test-images.mjs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EngineClient } from '../packages/server/src/docker/engine-client.js';
import { EngineState } from '../packages/server/src/docker/engine-state.js';
import { testLogger } from '../packages/server/src/testing/silent-logger.js';
import { SocketProxy } from '../packages/server/src/testing/socket-proxy.js';
import {
  BENCH_SETUP_TOKEN,
  benchOptions,
  benchToken,
  call,
  freePort,
  get,
  percentile,
  requireEnv,
  startBerth,
  until,
  engineRequest,
} from './support.js';

const { hosts, containers, engines, iterations } = benchOptions({
  hosts: 20,
  containers: 500,
  engines: 2,
  iterations: 200,
});
const dockerHost = requireEnv('BERTH_BENCH_DOCKER_HOST');
const image = requireEnv('BERTH_TEST_IMAGE');
const label = `io.berth.bench=${process.pid}`;
const engineAgent = new Agent({ keepAlive: true, maxSockets: 8 });
const berthAgent = new Agent({ keepAlive: true, maxSockets: 8 });

function engine(socketPath: string, method: string, path: string, body?: unknown) {
  return engineRequest({ socketPath, agent: engineAgent }, method, path, body);
}

const ownFilter = encodeURIComponent(JSON.stringify({ label: [label] }));
const own = async (socketPath: string): Promise<{ Id: string }[]> =>
  JSON.parse(
    await engine(socketPath, 'GET', `/v1.41/containers/json?all=1&filters=${ownFilter}`),
  ) as { Id: string }[];

/** Created, never started: what a list costs does not depend on running them. */
async function createContainers(socketPath: string): Promise<void> {
  const todo = containers - (await own(socketPath)).length;
  for (let i = 0; i < todo; i += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, todo - i) }, (_, j) =>
        engine(socketPath, 'POST', `/v1.41/containers/create?name=fleet-${process.pid}-${i + j}`, {
          Image: image,
          Cmd: ['sleep', '3600'],
          Labels: { 'io.berth.bench': String(process.pid), 'com.docker.compose.project': 'fleet' },
        }),
      ),
    );
  }
}

async function removeContainers(socketPath: string): Promise<void> {
  const list = await own(socketPath);
  for (let i = 0; i < list.length; i += 8)
    await Promise.all(
      list
        .slice(i, i + 8)
        .map((c) => engine(socketPath, 'DELETE', `/v1.41/containers/${c.Id}?force=1`)),
    );
}

async function measure(
  rounds: number,
  once: () => Promise<string>,
): Promise<{ p50: number; p95: number; bytes: number }> {
  let bytes = 0;
  for (let i = 0; i < 10; i += 1) bytes = (await once()).length;
  const samples: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const started = performance.now();
    await once();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), bytes };
}

/**
 * The heap one host's live state takes with its containers, measured in this process with
 * collections forced (the server's own heap readings move with garbage not yet collected):
 * `count` EngineStates synced from the engines, heap after minus before, per state.
 */
async function heapPerHostState(count: number): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const states = Array.from({ length: count }, (_, i) => {
    const client = new EngineClient({
      transport: 'unix',
      socketPath: sockets[i % sockets.length] ?? '',
    });
    return { client, state: new EngineState({ hostId: `h${i}`, client, logger: testLogger() }) };
  });
  for (const { state } of states) state.start();
  for (const { state } of states) {
    await state.whenSynced();
    await state.settled();
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  for (const { state, client } of states) {
    await state.stop();
    client.close();
  }
  return (after - before) / count;
}

const rssOf = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const ms = (n: number): string => n.toFixed(2).padStart(8);

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-fleet-'));
const extra: IsolatedEngine[] = [];
const proxies: SocketProxy[] = [];
const sockets = [dockerHost.slice('unix://'.length)];
let berth: ReturnType<typeof startBerth> | null = null;
try {
  for (let i = 0; i < engines; i += 1) {
    const started = await startIsolatedEngine({ bridge: false, quiet: true });
    extra.push(started);
    await buildTestImages(started.socketPath);
    sockets.push(started.socketPath);
  }
  const createStart = performance.now();
  await Promise.all(sockets.map((s) => createContainers(s)));
  const createSeconds = (performance.now() - createStart) / 1000;

  const port = await freePort();
  berth = startBerth({
    BERTH_PORT: String(port),
    BERTH_HOST: '127.0.0.1',
    BERTH_TLS: 'off',
    BERTH_DATA_DIR: join(dir, 'data'),
    BERTH_SETUP_TOKEN: BENCH_SETUP_TOKEN,
    BERTH_API_RATE_LIMIT: '1000000',
    DOCKER_HOST: dockerHost,
  });
  const pid = berth.child.pid ?? 0;
  const token = await benchToken(port);
  const auth = { authorization: `Bearer ${token}` };
  const fleet = (path = '/api/fleet'): Promise<string> =>
    get({ host: '127.0.0.1', port, path, agent: berthAgent, headers: auth });
  const summary = async () =>
    JSON.parse(await fleet()) as {
      hosts: { id: string; reachable: boolean }[];
      totals: { hosts: number; reachable: number; containers: number };
    };
  const heap = async (): Promise<number> =>
    (
      JSON.parse((await call(port, 'GET', '/api/system/streams', undefined, auth)).body) as {
        memoryHeapUsedBytes: number;
      }
    ).memoryHeapUsedBytes;
  /** The lowest of a few readings: between collections the heap only grows. */
  const memory = async () => {
    let rss = Infinity;
    let used = Infinity;
    for (let i = 0; i < 5; i += 1) {
      await new Promise((r) => setTimeout(r, 400));
      rss = Math.min(rss, rssOf(pid));
      used = Math.min(used, await heap());
    }
    return { rss, heap: used };
  };
  const synced = (n: number) =>
    until(
      `${n} hosts synced`,
      async () => {
        const s = await summary();
        return s.totals.reachable === n && s.totals.containers >= n * containers ? s : undefined;
      },
      600_000,
    );

  await synced(1);
  const before = await memory();
  const addStart = performance.now();
  for (let i = 1; i < hosts; i += 1) {
    const proxy = new SocketProxy(join(dir, `h${i}.sock`), sockets[i % sockets.length] ?? '');
    await proxy.listen();
    proxies.push(proxy);
    const added = await call(
      port,
      'POST',
      '/api/hosts',
      {
        name: `fleet-${String(i).padStart(2, '0')}`,
        kind: 'socket',
        url: `unix://${proxy.path}`,
        allowDuplicate: true,
      },
      auth,
    );
    if (added.status !== 201) throw new Error(`adding host ${i}: ${added.status} ${added.body}`);
  }
  await synced(hosts);
  const syncSeconds = (performance.now() - addStart) / 1000;
  const after = await memory();

  // Each measure alternates with the raw engines', so both see the same machine conditions.
  const raw = await Promise.all(
    sockets.map((s) => measure(50, () => engine(s, 'GET', '/v1.41/containers/json?all=1'))),
  );
  const up = await measure(iterations, () => fleet());
  const list = await measure(iterations, () => fleet('/api/fleet/containers'));
  const search = await measure(iterations, () =>
    fleet(`/api/fleet/search?q=fleet-${process.pid}-42`),
  );

  const dark = proxies[proxies.length - 1];
  await dark?.goDark();
  await until('the dark host marked unreachable', async () =>
    (await summary()).totals.reachable === hosts - 1 ? true : undefined,
  );
  const down = await measure(iterations, () => fleet());
  const listDown = await measure(iterations, () => fleet('/api/fleet/containers'));
  const raw2 = await Promise.all(
    sockets.map((s) => measure(50, () => engine(s, 'GET', '/v1.41/containers/json?all=1'))),
  );
  const statesHeap = await heapPerHostState(5);
  const rawP50 = Math.min(...raw.map((r) => r.p50), ...raw2.map((r) => r.p50));
  const rawP95 = Math.min(...raw.map((r) => r.p95), ...raw2.map((r) => r.p95));
  const added = hosts - 1;
  const line = (what: string, m: { p50: number; p95: number; bytes: number }) =>
    `${what.padEnd(44)}${ms(m.p50)} ${ms(m.p95)}   ${m.bytes}   ${(m.p95 / rawP95).toFixed(2)}x`;

  process.stdout.write(
    [
      '',
      `fleet: ${hosts} hosts x ${containers} created containers on ${sockets.length} engines ` +
        `(${iterations} requests per Berth measure, 50 per raw engine)`,
      `  created ${sockets.length * containers} containers in ${createSeconds.toFixed(1)} s; ` +
        `${added} hosts added and synced in ${syncSeconds.toFixed(1)} s`,
      `${''.padEnd(44)}  p50 ms   p95 ms   bytes   p95 / best raw engine p95`,
      ...[...raw, ...raw2].map((r, i) =>
        line(
          `engine ${i % sockets.length} GET /containers/json?all=1 (${i < raw.length ? 'before' : 'after'})`,
          r,
        ),
      ),
      line('berth GET /api/fleet, all reachable', up),
      line(`berth GET /api/fleet, 1 of ${hosts} unreachable`, down),
      line('berth GET /api/fleet/containers (200 of all)', list),
      line('berth GET /api/fleet/containers, 1 unreachable', listDown),
      line('berth GET /api/fleet/search (exact + prefixes)', search),
      `unreachable host: /api/fleet p95 ${ms(down.p95)} vs ${ms(up.p95)} ms before ` +
        `(${(down.p95 / up.p95).toFixed(2)}x); raw engines' best p50 ${rawP50.toFixed(2)} ms`,
      `memory: 1 host RSS ${mib(before.rss)}, heap ${mib(before.heap)}; ${hosts} hosts RSS ` +
        `${mib(after.rss)}, heap ${mib(after.heap)}`,
      `  per added host with ${containers} containers: RSS +${mib((after.rss - before.rss) / added)}, ` +
        `heap +${mib((after.heap - before.heap) / added)} (server readings, collections not forced)`,
      `  one host's live state (${containers} containers), heap with collections forced: ` +
        `${mib(statesHeap)}`,
      '(Berth over plain HTTP on loopback with BERTH_TLS=off; the engines over their unix sockets)',
      '',
    ].join('\n'),
  );
} finally {
  await berth?.stop();
  for (const proxy of proxies) await proxy.goDark();
  // The extra engines go with their data; the bench engine is shared with other benches.
  for (const started of extra) await started.stop();
  await removeContainers(sockets[0] ?? '');
  engineAgent.destroy();
  berthAgent.destroy();
  rmSync(dir, { recursive: true, force: true });
}
