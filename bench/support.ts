import { spawn, type ChildProcess } from 'node:child_process';
import {
  request,
  type Agent,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { parseArgs } from 'node:util';
export { freePort } from '../packages/server/src/testing/free-port.js';

/**
 * One Engine API call over a unix socket, as the benches make them to seed engines and to time
 * the raw engine beside Berth: the answer's text, or an error naming the path for a status ≥ 300.
 */
export function engineRequest(
  target: { socketPath: string; agent?: Agent },
  method: string,
  path: string,
  body?: unknown,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { ...target, method, path, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 300) reject(new Error(`${path}: ${text}`));
          else resolve(text);
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Reads `--name value` options shared by the benchmarks. */
export function benchOptions<K extends string>(defaults: Record<K, number>): Record<K, number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: Object.fromEntries(Object.keys(defaults).map((k) => [k, { type: 'string' as const }])),
    strict: false,
  });
  return Object.fromEntries(
    (Object.entries(defaults) as [K, number][]).map(([key, fallback]) => {
      const raw = values[key];
      const value = typeof raw === 'string' ? Number(raw) : fallback;
      if (!Number.isInteger(value) || value <= 0)
        throw new Error(`--${key} must be a positive whole number`);
      return [key, value];
    }),
  ) as Record<K, number>;
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run benchmarks with \`npm run bench\``);
  return value;
}

/** One HTTP GET (keep-alive), resolving to the body; rejects on a non-2xx status. */
export function get(options: RequestOptions & { agent: Agent }): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ method: 'GET', ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300)
          reject(new Error(`${options.path ?? ''}: ${res.statusCode ?? 0} ${body}`));
        else resolve(body);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/** Starts the built Berth server as its own process, as `npm start` would. */
export function startBerth(env: Record<string, string>): {
  child: ChildProcess;
  stop: () => Promise<void>;
} {
  // e.g. BERTH_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the server.
  const nodeArgs = (process.env.BERTH_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // As `npm start` runs it (package.json): small V8 semi-spaces keep idle memory low.
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=1', ...nodeArgs, 'packages/server/dist/main.js'],
    {
      env: {
        PATH: process.env.PATH ?? '',
        BERTH_LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function until<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const BENCH_SETUP_TOKEN = 'bench-setup-token-0123456789';

export interface Answer {
  status: number;
  body: string;
  cookie: string;
}

type Requester = (options: RequestOptions, done: (res: IncomingMessage) => void) => ClientRequest;

function send(requester: Requester, options: RequestOptions, body: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = requester(
      {
        host: '127.0.0.1',
        ...options,
        headers: { 'content-type': 'application/json', ...options.headers },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text,
            cookie: res.headers['set-cookie']?.[0]?.split(';')[0] ?? '',
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** One HTTP call to Berth on loopback: status, body text and the session cookie if set. */
export function call(
  port: number,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return send(request, { port, method, path, headers }, body);
}

/** The same over HTTPS (self-signed), on the given agent's connections. */
export function callTls(
  port: number,
  agent: HttpsAgent,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Answer> {
  return send(httpsRequest, { port, agent, method, path, headers }, body);
}

/**
 * Waits for Berth (started with BENCH_SETUP_TOKEN), creates the admin, returns an API token;
 * over HTTPS on `tls`'s connections when given (Berth started with TLS on).
 */
export async function benchToken(port: number, tls?: HttpsAgent): Promise<string> {
  const to = (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    tls ? callTls(port, tls, method, path, headers, body) : call(port, method, path, body, headers);
  await until('Berth to answer', async () =>
    (await to('GET', '/api/health')).status === 200 ? true : undefined,
  );
  const setup = await to('POST', '/api/setup', {
    username: 'bench',
    password: 'bench password 123',
    setupToken: BENCH_SETUP_TOKEN,
  });
  const origin = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const session = { cookie: setup.cookie, origin };
  const created = await to('POST', '/api/me/tokens', { name: 'bench' }, session);
  return (JSON.parse(created.body) as { secret: string }).secret;
}
