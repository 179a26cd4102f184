/**
 * Tail latency against the number of signed-in users at the same total request rate: a few
 * users (idle), 100 and 1,000 browser sessions, each with its own keep-alive HTTPS connection
 * as a browser has, asking for the container list or one container's detail at jittered
 * intervals (1,000 users at 200 requests/s: one request every 3-6 s each). Sessions are
 * written straight into Berth's database (a login per user would measure argon2, not this).
 * Prints p50/p95/p99 per phase and the ratios of the p95s.
 */
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  callTls,
  BENCH_SETUP_TOKEN,
  benchOptions,
  freePort,
  percentile,
  requireEnv,
  startBerth,
  until,
  engineRequest,
} from './support.js';

const { users: maxUsers, rate, seconds } = benchOptions({ users: 1000, rate: 200, seconds: 20 });
const dockerHost = requireEnv('BERTH_BENCH_DOCKER_HOST');
const image = requireEnv('BERTH_TEST_IMAGE');
const socketPath = dockerHost.slice('unix://'.length);
const label = `io.berth.bench-sessions=${process.pid}`;

function engine(method: string, path: string, body?: unknown): Promise<string> {
  return engineRequest({ socketPath }, method, path, body);
}

async function removeContainers(): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ label: [label] }));
  const list = JSON.parse(await engine('GET', `/containers/json?all=1&filters=${filters}`)) as {
    Id: string;
  }[];
  for (const c of list) await engine('DELETE', `/containers/${c.Id}?force=1`).catch(() => '');
}

const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-sessions-'));
const port = await freePort();
const berth = startBerth({
  BERTH_PORT: String(port),
  BERTH_HOST: '127.0.0.1',
  // HTTPS with the generated certificate, as `npm start` serves it.
  BERTH_DATA_DIR: dataDir,
  BERTH_SETUP_TOKEN: BENCH_SETUP_TOKEN,
  DOCKER_HOST: dockerHost,
});
const tlsAgent = (): Agent =>
  new Agent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false });
try {
  const ids: string[] = [];
  for (let i = 0; i < 20; i += 1) {
    const made = JSON.parse(
      await engine('POST', `/containers/create?name=bench-sessions-${process.pid}-${i}`, {
        Image: image,
        Cmd: ['sleep', '3600'],
        Labels: { [label.split('=')[0] ?? '']: String(process.pid) },
      }),
    ) as { Id: string };
    ids.push(made.Id);
  }

  const setupAgent = tlsAgent();
  await until('Berth to answer', async () =>
    (await callTls(port, setupAgent, 'GET', '/api/health')).status === 200 ? true : undefined,
  );
  const setup = await callTls(
    port,
    setupAgent,
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
  setupAgent.destroy();

  // Users and their sessions, as many logins would leave them.
  const db = new SQLite(join(dataDir, 'berth.db'));
  db.pragma('busy_timeout = 5000');
  const passwordHash = (
    db.prepare('select password_hash from users limit 1').get() as { password_hash: string }
  ).password_hash;
  const now = new Date();
  const cookies: string[] = [];
  db.transaction(() => {
    const user = db.prepare(
      "insert into users (id, username, username_key, password_hash, role) values (?, ?, ?, ?, 'viewer')",
    );
    const grant = db.prepare("insert into user_hosts (user_id, host_id) values (?, 'local')");
    const session = db.prepare(
      'insert into sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent) values (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (let i = 0; i < maxUsers; i += 1) {
      const id = randomUUID();
      user.run(id, `user${i}`, `user${i}`, passwordHash);
      grant.run(id);
      const secret = randomBytes(32).toString('base64url');
      session.run(
        randomUUID(),
        createHash('sha256').update(secret).digest('hex'),
        id,
        now.toISOString(),
        now.toISOString(),
        new Date(now.getTime() + 24 * 3_600_000).toISOString(),
        '127.0.0.1',
        'bench',
      );
      cookies.push(`berth_session=${secret}`);
    }
  })();
  db.close();

  /** `users` sessions share `rate` requests/s for `seconds` after one warm-up request each. */
  async function phase(users: number, total: number) {
    const interval = (users / total) * 1000;
    const latencies: number[] = [];
    let errors = 0;
    let measuring = false;
    const agents = Array.from({ length: users }, tlsAgent);
    const stopAt = { time: Infinity };
    const user = async (i: number): Promise<void> => {
      const headers = { cookie: cookies[i] ?? '' };
      const agent = agents[i] ?? tlsAgent();
      await new Promise((r) => setTimeout(r, Math.random() * interval));
      for (let n = 0; Date.now() < stopAt.time; n += 1) {
        const path =
          n % 2 === 0
            ? '/api/hosts/local/containers'
            : `/api/hosts/local/containers/${ids[n % ids.length] ?? ''}`;
        const started = performance.now();
        const counted = measuring;
        try {
          const res = await callTls(port, agent, 'GET', path, headers);
          if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body}`);
          if (counted) latencies.push(performance.now() - started);
        } catch {
          if (counted) errors += 1;
        }
        // A browser's polling: the next one 0.67-1.33 intervals later (3-6 s at 1,000 users).
        await new Promise((r) => setTimeout(r, interval * (0.67 + Math.random() * 0.66)));
      }
    };
    const running = Array.from({ length: users }, (_, i) => user(i));
    // Warm-up: every user's connection is open and its first request answered.
    await new Promise((r) => setTimeout(r, interval * 1.5));
    measuring = true;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    measuring = false;
    stopAt.time = Date.now();
    await Promise.all(running);
    for (const a of agents) a.destroy();
    const sorted = latencies.sort((a, b) => a - b);
    return {
      users,
      requests: sorted.length,
      errors,
      rate: sorted.length / seconds,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
    };
  }

  const phases = [await phase(10, 10), await phase(100, rate), await phase(maxUsers, rate)];
  const ms = (v: number): string => `${v.toFixed(1)} ms`;
  const lines = phases.map(
    (p) =>
      `${String(p.users).padStart(5)} users: ${p.rate.toFixed(0)} req/s, p50 ${ms(p.p50)}, p95 ${ms(p.p95)}, p99 ${ms(p.p99)}` +
      (p.errors ? `, ${p.errors} failed` : ''),
  );
  const [idle, hundred, many] = phases;
  process.stdout.write(
    [
      '',
      `sessions load: list and detail routes over HTTPS, ${seconds} s per phase`,
      ...lines,
      `p95 at ${maxUsers} users: ${((many?.p95 ?? 0) / (idle?.p95 ?? 1)).toFixed(2)}x idle, ${((many?.p95 ?? 0) / (hundred?.p95 ?? 1)).toFixed(2)}x 100 users`,
      '',
    ].join('\n'),
  );
} finally {
  await berth.stop();
  await removeContainers().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}
