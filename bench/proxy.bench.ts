/**
 * Routes through Caddy: the latency a request gains going through Caddy (a route Berth wrote,
 * TLS off, one upstream) to a running container, against the same request straight to the
 * container's published port, measured in the same run with the same kind of client.
 * One function per case, so that more (the wake figure) join the same table.
 */
import { Agent } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCaddy, type TestCaddy } from '../scripts/lib/test-caddy.mjs';
import {
  BENCH_SETUP_TOKEN,
  benchOptions,
  benchToken,
  call,
  engineRequest,
  freePort,
  get,
  percentile,
  requireEnv,
  startBerth,
  until,
} from './support.js';

const { iterations } = benchOptions({ iterations: 500 });
const dockerHost = requireEnv('BERTH_BENCH_DOCKER_HOST');
const image = requireEnv('BERTH_TEST_IMAGE');
const socketPath = dockerHost.slice('unix://'.length);
const containerName = `bench-proxy-${process.pid}`;
const hostname = `bench-${process.pid}.proxy.test`;

interface Figure {
  name: string;
  p50: number;
  p95: number;
}

function engine(method: string, path: string, body?: unknown): Promise<string> {
  return engineRequest({ socketPath }, method, path, body);
}

async function startTarget(): Promise<number> {
  await engine('POST', `/v1.41/containers/create?name=${containerName}`, {
    Image: image,
    Cmd: [
      'sh',
      '-c',
      'mkdir -p /www && echo bench > /www/index.html && exec httpd -f -p 80 -h /www',
    ],
    ExposedPorts: { '80/tcp': {} },
    HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
    Labels: { 'io.berth.bench': String(process.pid) },
  });
  await engine('POST', `/v1.41/containers/${containerName}/start`);
  const inspect = JSON.parse(await engine('GET', `/v1.41/containers/${containerName}/json`)) as {
    NetworkSettings: { Ports: Record<string, { HostPort: string }[] | null> };
  };
  return Number(inspect.NetworkSettings.Ports['80/tcp']?.[0]?.HostPort);
}

async function timed(name: string, once: () => Promise<string>): Promise<Figure> {
  for (let i = 0; i < 50; i += 1) await once();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = performance.now();
    await once();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { name, p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

/** Straight to the container's published port. */
function direct(port: number, agent: Agent): Promise<Figure> {
  return timed('direct to the container', () => get({ host: '127.0.0.1', port, path: '/', agent }));
}

/** Through Caddy's plain-HTTP listener, Host = the route's hostname. */
function throughCaddy(caddy: TestCaddy, agent: Agent): Promise<Figure> {
  return timed('through Caddy (route by Berth)', () =>
    get({ host: '127.0.0.1', port: caddy.httpPort, path: '/', agent, headers: { Host: hostname } }),
  );
}

const caddy = await startTestCaddy({ admin: 'socket' });
const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-'));
const port = await freePort();
const targetPort = await startTarget();
const berth = startBerth({
  BERTH_PORT: String(port),
  BERTH_HOST: '127.0.0.1',
  BERTH_TLS: 'off',
  BERTH_DATA_DIR: dataDir,
  BERTH_SETUP_TOKEN: BENCH_SETUP_TOKEN,
  BERTH_API_RATE_LIMIT: '1000000',
  BERTH_CADDY_ADMIN: caddy.admin,
  BERTH_PROXY_CHECK_SECONDS: '1',
  DOCKER_HOST: dockerHost,
});
const directAgent = new Agent({ keepAlive: true, maxSockets: 1 });
const caddyAgent = new Agent({ keepAlive: true, maxSockets: 1 });
try {
  const token = await benchToken(port);
  const auth = { authorization: `Bearer ${token}` };
  await until('Berth to see the target', async () => {
    const res = await call(
      port,
      'GET',
      `/api/hosts/local/containers/${containerName}`,
      undefined,
      auth,
    );
    return res.status === 200 ? true : undefined;
  });
  const created = await call(
    port,
    'POST',
    '/api/proxy/routes',
    {
      hostnames: [hostname],
      target: { host: 'local', container: containerName, port: 80, via: 'published' },
      tls: 'off',
      compress: false,
    },
    auth,
  );
  if (created.status !== 201) throw new Error(`route create: ${created.status} ${created.body}`);
  await until('the route to answer', async () =>
    (
      await get({
        host: '127.0.0.1',
        port: caddy.httpPort,
        path: '/',
        agent: caddyAgent,
        headers: { Host: hostname },
      })
    ).includes('bench')
      ? true
      : undefined,
  );

  // Alternate the cases so both see the same machine conditions; best of two rounds.
  const rounds: Figure[][] = [];
  for (let round = 0; round < 2; round += 1) {
    rounds.push([await direct(targetPort, directAgent), await throughCaddy(caddy, caddyAgent)]);
  }
  const best = (index: number): Figure => {
    const all = rounds.map((r) => r[index] as Figure);
    return {
      name: all[0]?.name ?? '',
      p50: Math.min(...all.map((f) => f.p50)),
      p95: Math.min(...all.map((f) => f.p95)),
    };
  };
  const raw = best(0);
  const proxied = best(1);
  const fmt = (n: number): string => n.toFixed(2).padStart(8);
  process.stdout.write(
    [
      '',
      `proxy: ${iterations} keep-alive GETs per round, best of 2 rounds (Caddy on loopback, TLS off)`,
      `                                  p50 ms   p95 ms`,
      `${raw.name.padEnd(32)}${fmt(raw.p50)} ${fmt(raw.p95)}`,
      `${proxied.name.padEnd(32)}${fmt(proxied.p50)} ${fmt(proxied.p95)}`,
      `ratio Caddy / direct            ${fmt(proxied.p50 / raw.p50)}x${fmt(proxied.p95 / raw.p95)}x`,
      `added by Caddy                  ${fmt(proxied.p50 - raw.p50)} ${fmt(proxied.p95 - raw.p95)}`,
      '',
    ].join('\n'),
  );
} finally {
  await berth.stop();
  directAgent.destroy();
  caddyAgent.destroy();
  await engine('DELETE', `/v1.41/containers/${containerName}?force=1`);
  await caddy.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
