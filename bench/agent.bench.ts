/**
 * The agent's cost: one engine reached by Berth two ways in the same run — the `local` socket
 * host (Berth on the engine's unix socket) and an agent host whose agent (the built CLI,
 * `berth agent`) serves the same engine over its TLS WebSocket and SSH session — against the
 * raw engine socket. Measured, interleaved so every path sees the same machine:
 * - latency (p50, p95) of routes that go to the engine on every request (container lists are
 *   served from Berth's synced state, so they would not show the transport): the engine
 *   version (one engine call) and container detail (inspect, then image inspect and info);
 * - a whole container log (`--lines`, follow=false): lines per second from the engine, through
 *   Berth's download route and its logs WebSocket;
 * - CPU time of Berth, the agent and dockerd per 1000 requests and per million log lines.
 * Berth serves HTTPS (as agents need); the bench's client keeps its connections alive.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cpuMs,
  dockerdPid,
  downloadLogLines,
  engineLogLines,
  streamLogLines,
  type BerthTarget,
} from './agent-probes.js';
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

const {
  iterations,
  lines,
  reads,
  'cpu-requests': cpuRequests,
} = benchOptions({
  iterations: 200,
  lines: 200_000,
  reads: 3,
  'cpu-requests': 1000,
});
const dockerHost = requireEnv('BERTH_BENCH_DOCKER_HOST');
const image = requireEnv('BERTH_TEST_IMAGE');
const socketPath = dockerHost.slice('unix://'.length);
const engineAgent = new Agent({ keepAlive: true, maxSockets: 8 });
const tls = new HttpsAgent({ keepAlive: true, maxSockets: 8, rejectUnauthorized: false });
const engine = (path: string, method = 'GET', body?: unknown): Promise<string> =>
  engineRequest({ socketPath, agent: engineAgent }, method, path, body);

/** p50 and p95 of each case, sampled round-robin (the order turning each round). */
async function latencies(
  cases: Record<string, () => Promise<unknown>>,
): Promise<Map<string, { p50: number; p95: number }>> {
  const names = Object.keys(cases);
  const samples = new Map(names.map((n) => [n, [] as number[]]));
  for (let round = -20; round < iterations; round += 1) {
    for (let i = 0; i < names.length; i += 1) {
      const name = names[(i + Math.max(round, 0)) % names.length] ?? '';
      const started = performance.now();
      await cases[name]?.();
      if (round >= 0) samples.get(name)?.push(performance.now() - started);
    }
  }
  return new Map(
    [...samples].map(([name, s]) => {
      s.sort((a, b) => a - b);
      return [name, { p50: percentile(s, 50), p95: percentile(s, 95) }];
    }),
  );
}

/** CPU ms each watched process spent while `work` ran. */
async function cpuDuring(pids: Record<string, number | null>, work: () => Promise<unknown>) {
  const read = () =>
    Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid ? cpuMs(pid) : NaN]));
  const before = read();
  await work();
  const after = read();
  return Object.fromEntries(
    Object.keys(pids).map((k) => [k, (after[k] ?? NaN) - (before[k] ?? NaN)]),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'berth-bench-agent-'));
let containerId = '';
let berth: ReturnType<typeof startBerth> | null = null;
let agentProcess: ReturnType<typeof spawn> | null = null;
try {
  // A container that writes --lines lines as fast as it can, then exits: its log is fixed.
  const program = `BEGIN { for (i = 1; i <= ${lines}; i++) print "line " i " the quick brown fox jumps over the lazy dog" }`;
  containerId = (
    JSON.parse(
      await engine(`/v1.41/containers/create?name=bench-agent-${process.pid}`, 'POST', {
        Image: image,
        Cmd: ['awk', program],
        Labels: { 'io.berth.bench': String(process.pid) },
      }),
    ) as { Id: string }
  ).Id;
  await engine(`/v1.41/containers/${containerId}/start`, 'POST');
  await engine(`/v1.41/containers/${containerId}/wait`, 'POST');

  const port = await freePort();
  berth = startBerth({
    BERTH_PORT: String(port),
    BERTH_HOST: '127.0.0.1',
    BERTH_TLS: 'self-signed',
    BERTH_DATA_DIR: join(dir, 'data'),
    BERTH_SETUP_TOKEN: BENCH_SETUP_TOKEN,
    BERTH_API_RATE_LIMIT: '1000000',
    DOCKER_HOST: dockerHost,
  });
  const token = await benchToken(port, tls);
  const auth = { authorization: `Bearer ${token}` };
  const target: BerthTarget = { port, agent: tls, token };
  const api = async (path: string): Promise<string> => {
    const answer = await callTls(port, tls, 'GET', path, auth);
    if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.body}`);
    return answer.body;
  };

  const created = await callTls(port, tls, 'POST', '/api/hosts', auth, {
    name: 'bench-agent',
    kind: 'agent',
  });
  if (created.status !== 201) throw new Error(`adding the agent host: ${created.body}`);
  const agentHost = JSON.parse(created.body) as { id: string; join: { token: string } };
  // e.g. BERTH_BENCH_AGENT_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the agent.
  const agentNodeArgs = (process.env.BERTH_BENCH_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const agentChild = spawn(
    process.execPath,
    [
      ...agentNodeArgs,
      'packages/cli/dist/main.js',
      'agent',
      '--server',
      `https://127.0.0.1:${port}`,
      '--token',
      agentHost.join.token,
      '--engine',
      dockerHost,
      '--state-dir',
      join(dir, 'agent'),
    ],
    { env: { PATH: process.env.PATH ?? '', HOME: dir }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  agentProcess = agentChild;
  await new Promise<void>((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => reject(new Error(`the agent did not connect: ${said}`)), 60_000);
    agentChild.stderr.on('data', (d: Buffer) => {
      said += d.toString();
      if (!said.includes('connected to')) return;
      clearTimeout(timer);
      resolve();
    });
    agentChild.once('exit', (code) => reject(new Error(`the agent exited (${code}): ${said}`)));
  });
  const hosts = { socket: 'local', agent: agentHost.id };
  for (const host of Object.values(hosts))
    await until(`host ${host} to see the container`, () =>
      api(`/api/hosts/${host}/containers/${containerId}`),
    );
  const imageId = (
    JSON.parse(await engine(`/v1.41/containers/${containerId}/json`)) as {
      Image: string;
    }
  ).Image;

  // Latency, every case in every round.
  const version = (host: string) => () => api(`/api/hosts/${host}/system/version`);
  const detail = (host: string) => () => api(`/api/hosts/${host}/containers/${containerId}`);
  const latency = await latencies({
    'engine GET /_ping': () => engine('/_ping'),
    'engine GET /containers/json?all=1': () => engine('/v1.41/containers/json?all=1'),
    'engine GET /version': () => engine('/v1.41/version'),
    "engine inspect + (image, info): detail's calls": async () => {
      await engine(`/v1.41/containers/${containerId}/json`);
      await Promise.all([engine(`/v1.41/images/${imageId}/json`), engine('/v1.41/info')]);
    },
    'socket host GET …/system/version': version(hosts.socket),
    'agent host  GET …/system/version': version(hosts.agent),
    'socket host GET …/containers/:id': detail(hosts.socket),
    'agent host  GET …/containers/:id': detail(hosts.agent),
  });

  // CPU per request: blocks of version requests, one path at a time.
  const pids = {
    berth: berth.child.pid ?? null,
    agent: agentChild.pid ?? null,
    dockerd: dockerdPid(socketPath),
  };
  const block = (once: () => Promise<unknown>) => async () => {
    for (let i = 0; i < cpuRequests; i += 1) await once();
  };
  const cpuRequestsOf = {
    raw: await cpuDuring(
      pids,
      block(() => engine('/v1.41/version')),
    ),
    socket: await cpuDuring(pids, block(version(hosts.socket))),
    agent: await cpuDuring(pids, block(version(hosts.agent))),
  };

  // The whole log, each path in each read; times and CPU summed per path.
  const readers: Record<string, () => Promise<{ lines: number; dropped: number }>> = {
    'engine GET /containers/:id/logs': async () => ({
      lines: await engineLogLines(socketPath, engineAgent, containerId),
      dropped: 0,
    }),
    'socket host …/logs/download?tail=all': async () => ({
      lines: await downloadLogLines(target, hosts.socket, containerId),
      dropped: 0,
    }),
    'agent host  …/logs/download?tail=all': async () => ({
      lines: await downloadLogLines(target, hosts.agent, containerId),
      dropped: 0,
    }),
    'socket host …/logs/stream?tail=all (WS)': () =>
      streamLogLines(target, hosts.socket, containerId),
    'agent host  …/logs/stream?tail=all (WS)': () =>
      streamLogLines(target, hosts.agent, containerId),
  };
  const logRuns = new Map(
    Object.keys(readers).map((n) => [
      n,
      { seconds: [] as number[], lines: 0, dropped: 0, cpu: { berth: 0, agent: 0, dockerd: 0 } },
    ]),
  );
  for (let read = 0; read < reads; read += 1) {
    for (const [name, reader] of Object.entries(readers)) {
      const run = logRuns.get(name);
      if (!run) continue;
      let got = { lines: 0, dropped: 0 };
      const started = performance.now();
      const cpu = await cpuDuring(pids, async () => (got = await reader()));
      run.seconds.push((performance.now() - started) / 1000);
      run.lines += got.lines;
      run.dropped += got.dropped;
      for (const k of ['berth', 'agent', 'dockerd'] as const) run.cpu[k] += cpu[k] ?? NaN;
    }
  }

  const lat = (name: string) => latency.get(name) ?? { p50: NaN, p95: NaN };
  const x = (n: number) => `${n.toFixed(2)}x`;
  const rawVersion = lat('engine GET /version');
  const rawDetail = lat("engine inspect + (image, info): detail's calls");
  const latencyRow = (name: string, raw?: { p50: number; p95: number }) => {
    const m = lat(name);
    const vsRaw = raw ? `${x(m.p50 / raw.p50).padStart(9)} ${x(m.p95 / raw.p95).padStart(9)}` : '';
    return `  ${name.padEnd(50)}${m.p50.toFixed(2).padStart(8)}${m.p95.toFixed(2).padStart(9)}${vsRaw}`;
  };
  const agentVsSocket = (route: string) => {
    const s = lat(`socket host ${route}`);
    const a = lat(`agent host  ${route}`);
    return `  agent / socket host, ${route.padEnd(20)} p50 ${x(a.p50 / s.p50)}, p95 ${x(a.p95 / s.p95)} (aim ≤ 1.50x)`;
  };
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? NaN;
  const rate = (name: string) => {
    const run = logRuns.get(name);
    return run ? (run.lines + run.dropped) / reads / median(run.seconds) : NaN;
  };
  const rawRate = rate('engine GET /containers/:id/logs');
  const logRow = (name: string) => {
    const run = logRuns.get(name);
    if (!run) return '';
    const perMillion = (ms: number) =>
      (ms / 1000 / ((run.lines + run.dropped) / 1e6)).toFixed(1).padStart(7);
    const note =
      run.dropped > 0 ? `  (${Math.round(run.dropped / reads)} of them dropped per read)` : '';
    const short =
      run.lines + run.dropped < lines * reads
        ? `  (only ${Math.round(run.lines / reads)} per read)`
        : '';
    return (
      `  ${name.padEnd(42)}${(rate(name) / 1000).toFixed(0).padStart(8)}k${x(rate(name) / rawRate).padStart(8)}` +
      `${perMillion(run.cpu.berth)}${perMillion(run.cpu.agent)}${perMillion(run.cpu.dockerd)}${note}${short}`
    );
  };
  const logRatio = (route: string) => {
    const ratio = rate(`agent host  ${route}`) / rate(`socket host ${route}`);
    return `  agent / socket host, ${route.padEnd(40)} ${x(ratio)} (aim ≥ 0.50x)`;
  };
  const cpuRow = (what: string, cpu: Record<string, number>) =>
    `  ${what.padEnd(42)}${['berth', 'agent', 'dockerd']
      .map((k) => ((cpu[k] ?? NaN) * (1000 / cpuRequests)).toFixed(0).padStart(9))
      .join('')}`;

  process.stdout.write(
    [
      '',
      `agent: one engine via Berth's socket host "local" and via an agent host (berth agent on ` +
        `the same engine), against the raw socket; ${iterations} requests per case, interleaved`,
      `  request latency (ms)${''.padEnd(32)}   p50      p95  p50/raw  p95/raw`,
      latencyRow('engine GET /_ping'),
      latencyRow('engine GET /containers/json?all=1'),
      latencyRow('engine GET /version'),
      latencyRow("engine inspect + (image, info): detail's calls"),
      latencyRow('socket host GET …/system/version', rawVersion),
      latencyRow('agent host  GET …/system/version', rawVersion),
      latencyRow('socket host GET …/containers/:id', rawDetail),
      latencyRow('agent host  GET …/containers/:id', rawDetail),
      agentVsSocket('GET …/system/version'),
      agentVsSocket('GET …/containers/:id'),
      `  (…/system/version is one engine GET /version; …/containers/:id is inspect, then image ` +
        `inspect and info; raw = the same calls on the socket)`,
      '',
      `  CPU ms per 1000 requests${''.padEnd(18)}    berth    agent  dockerd`,
      cpuRow('engine GET /version (raw)', cpuRequestsOf.raw),
      cpuRow('socket host GET …/system/version', cpuRequestsOf.socket),
      cpuRow('agent host  GET …/system/version', cpuRequestsOf.agent),
      '',
      `  a whole log of ${lines} lines (follow=false), median of ${reads} reads; CPU s per 1M lines`,
      `${''.padEnd(44)}  lines/s  vs raw  berth  agent dockerd`,
      ...[...logRuns.keys()].map(logRow),
      logRatio('…/logs/download?tail=all'),
      logRatio('…/logs/stream?tail=all (WS)'),
      `(Berth over HTTPS on loopback; the agent on the same machine; CPU from /proc, 10 ms ticks)`,
      '',
    ].join('\n'),
  );
} finally {
  if (agentProcess && agentProcess.exitCode === null) {
    const exited = new Promise((r) => agentProcess?.once('exit', r));
    agentProcess.kill('SIGTERM');
    await exited;
  }
  await berth?.stop();
  if (containerId) await engine(`/v1.41/containers/${containerId}?force=1`, 'DELETE');
  engineAgent.destroy();
  tls.destroy();
  rmSync(dir, { recursive: true, force: true });
}
