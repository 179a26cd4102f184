/**
 * Idle memory of the built server process, as `npm start` runs it (HTTPS, a set-up database,
 * the engine synced): resident memory and JavaScript heap just after it answers, and after it
 * has settled with nothing to do (`--settle` seconds; no forced GC, as a normal process has
 * none). The engine's own dockerd is shown as a reference when it can be found.
 */
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:https';
import {
  callTls,
  BENCH_SETUP_TOKEN,
  benchOptions,
  freePort,
  requireEnv,
  startBerth,
  until,
} from './support.js';

const { settle } = benchOptions({ settle: 60 });
const dockerHost = requireEnv('BERTH_BENCH_DOCKER_HOST');
const agent = new Agent({ keepAlive: true, rejectUnauthorized: false });

const rssOf = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** The dockerd serving our socket, found by its command line. */
function dockerdPid(): number | null {
  const socket = dockerHost.slice('unix://'.length);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('dockerd') && cmd.includes(socket)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return null;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-memory-'));
const env = {
  BERTH_HOST: '127.0.0.1',
  BERTH_DATA_DIR: dataDir,
  BERTH_SETUP_TOKEN: BENCH_SETUP_TOKEN,
  DOCKER_HOST: dockerHost,
};

const answering = (port: number): Promise<boolean> =>
  until('Berth to answer', async () =>
    (await callTls(port, agent, 'GET', '/api/health')).status === 200 ? true : undefined,
  );

try {
  // First start: certificate, database and admin made, as after the setup wizard.
  const firstPort = await freePort();
  const first = startBerth({ ...env, BERTH_PORT: String(firstPort) });
  let cookie = '';
  try {
    await answering(firstPort);
    const setup = await callTls(
      firstPort,
      agent,
      'POST',
      '/api/setup',
      {},
      {
        username: 'bench',
        password: 'bench password 123',
        setupToken: BENCH_SETUP_TOKEN,
      },
    );
    if (setup.status !== 201) throw new Error(`setup: ${setup.body}`);
  } finally {
    await first.stop();
  }

  // The start that counts: an ordinary restart.
  const port = await freePort();
  const berth = startBerth({ ...env, BERTH_PORT: String(port) });
  try {
    await answering(port);
    const pid = berth.child.pid ?? 0;
    const login = await callTls(
      port,
      agent,
      'POST',
      '/api/auth/login',
      {},
      {
        username: 'bench',
        password: 'bench password 123',
      },
    );
    cookie = login.cookie;
    const heap = async (): Promise<number> =>
      (
        JSON.parse((await callTls(port, agent, 'GET', '/api/system/streams', { cookie })).body) as {
          memoryHeapUsedBytes: number;
        }
      ).memoryHeapUsedBytes;
    const startRss = rssOf(pid);
    const startHeap = await heap();
    await new Promise((r) => setTimeout(r, settle * 1000));
    const settledRss = rssOf(pid);
    const settledHeap = await heap();
    const dockerd = dockerdPid();
    process.stdout.write(
      [
        '',
        'idle memory of the built server (HTTPS, set up, engine synced, nothing to do)',
        `just after start: RSS ${mib(startRss)}, heap used ${mib(startHeap)}`,
        `after ${settle} s idle: RSS ${mib(settledRss)}, heap used ${mib(settledHeap)}`,
        dockerd
          ? `reference: the engine's dockerd RSS ${mib(rssOf(dockerd))}`
          : 'reference: dockerd not found',
        '',
      ].join('\n'),
    );
  } finally {
    await berth.stop();
  }
} finally {
  agent.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}
