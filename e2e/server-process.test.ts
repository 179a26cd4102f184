import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { get as httpGet, request as httpRequest, type IncomingMessage } from 'node:http';
import { get as httpsGet, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../packages/server/src/testing/wait-for.js';
import { freePort } from '../packages/server/src/testing/free-port.js';

/**
 * The built server as a user runs it (`npm start` runs this same file after building):
 * a real process, real HTTPS, a real engine, a real SIGTERM.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const serverMain = join(root, 'packages', 'server', 'dist', 'main.js');
const cliMain = join(root, 'packages', 'cli', 'dist', 'main.js');
const dataDir = mkdtempSync(join(tmpdir(), 'berth-e2e-'));
const engineHost = process.env.BERTH_TEST_DOCKER_HOST;

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

async function startServer(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, [serverMain], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!output.includes('Berth is listening')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => output, exit };
}

function fetchJson(
  url: string,
  ca?: Buffer,
): Promise<{ status: number; body: unknown; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage): void => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(text) as unknown,
          headers: res.headers,
        }),
      );
    };
    const req = url.startsWith('https:')
      ? httpsGet(url, { ca }, onResponse)
      : httpGet(url, onResponse);
    req.on('error', reject);
  });
}

describe('the Berth server process', () => {
  it('starts with defaults on HTTPS with a generated certificate, reports the engine, and stops cleanly on SIGTERM', async () => {
    if (!engineHost) throw new Error('BERTH_TEST_DOCKER_HOST is not set: run `npm test`');
    const port = await freePort();
    const server = await startServer({
      BERTH_PORT: String(port),
      BERTH_HOST: '127.0.0.1',
      BERTH_DATA_DIR: dataDir,
      DOCKER_HOST: engineHost,
    });
    const certFile = join(dataDir, 'tls', 'cert.pem');
    const keyFile = join(dataDir, 'tls', 'key.pem');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const cert = readFileSync(certFile);

    // Verifying against the generated certificate proves it covers 127.0.0.1.
    const health = await fetchJson(`https://127.0.0.1:${port}/api/health`, cert);
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    // It says once, plainly, where it listens, and prints its one-time setup token on a line
    // of its own, to copy.
    const lines = server.output().split('\n');
    expect(lines.filter((l) => l.includes('listening'))).toEqual([
      `Berth is listening on https://127.0.0.1:${port}`,
    ]);
    const tokenAt = lines.findIndex((l) => l.includes('one-time setup token')) + 1;
    expect(tokenAt).toBeGreaterThan(0);
    expect(lines[tokenAt]).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(health.body).toMatchObject({ status: 'ok', db: { ok: true } });
    // The first sync may still be under way right after start.
    const engine = await waitFor('the engine reachable', async () => {
      const { body } = await fetchJson(`https://127.0.0.1:${port}/api/health`, cert);
      const [first] = (
        body as { engines: { host: string; reachable: boolean; version: string | null }[] }
      ).engines;
      return first?.reachable ? first : undefined;
    });
    expect(engine).toMatchObject({
      host: 'local',
      reachable: true,
      version: expect.stringMatching(/^\d+\./),
    });
    expect(existsSync(join(dataDir, 'berth.db'))).toBe(true);

    // Over TLS the session cookie is Secure, besides httpOnly and SameSite=Strict.
    const token = lines[tokenAt] ?? '';
    const setCookie = await new Promise<string>((resolve, reject) => {
      const req = httpsRequest(
        `https://127.0.0.1:${port}/api/setup`,
        { method: 'POST', ca: cert, headers: { 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(String(res.headers['set-cookie']?.[0] ?? `status ${res.statusCode ?? 0}`));
        },
      );
      req.on('error', reject);
      req.end(
        JSON.stringify({ username: 'admin', password: 'a long admin password', setupToken: token }),
      );
    });
    expect(setCookie).toMatch(/^berth_session=/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);

    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it('keeps its certificate across restarts', async () => {
    const before = readFileSync(join(dataDir, 'tls', 'cert.pem'));
    const port = await freePort();
    const server = await startServer({
      BERTH_PORT: String(port),
      BERTH_HOST: '127.0.0.1',
      BERTH_DATA_DIR: dataDir,
      DOCKER_HOST: engineHost ?? '',
    });
    expect(readFileSync(join(dataDir, 'tls', 'cert.pem')).equals(before)).toBe(true);
    expect(server.output()).not.toContain('generated a self-signed TLS certificate');
    server.child.kill('SIGINT');
    expect(await server.exit).toBe(0);
  });

  it('starts without an engine, serves plain HTTP with BERTH_TLS=off, and says why the engine is unreachable', async () => {
    const port = await freePort();
    const server = await startServer({
      BERTH_PORT: String(port),
      BERTH_DATA_DIR: join(dataDir, 'plain'),
      BERTH_TLS: 'off',
      DOCKER_HOST: 'unix:///nonexistent/berth/docker.sock',
      BERTH_HOST: '0.0.0.0',
    });
    // On every interface it names each address it is reachable at, loopback first, once each.
    const listening = server
      .output()
      .split('\n')
      .filter((l) => !l.startsWith('{') && l.includes(`:${port}`));
    expect(listening[0]).toBe(`Berth is listening on http://127.0.0.1:${port}`);
    expect(listening.slice(1).every((l) => /^ {2}also on http:\/\/[\d.]+:\d+$/.test(l))).toBe(true);
    expect(new Set(listening).size).toBe(listening.length);
    const health = await fetchJson(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    const [engine] = (health.body as { engines: { reachable: boolean; error?: string }[] }).engines;
    expect(engine?.reachable).toBe(false);
    expect(engine?.error).toContain('ENOENT');
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
  });

  it('refuses to start on bad configuration, naming each bad variable', async () => {
    const child = spawn(process.execPath, [serverMain], {
      env: {
        PATH: process.env.PATH ?? '',
        BERTH_PORT: 'eighty',
        BERTH_LOG_LEVEL: 'chatty',
        BERTH_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('BERTH_PORT');
    expect(stderr).toContain('"eighty"');
    expect(stderr).toContain('BERTH_LOG_LEVEL');
  });
});

function call(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; cookie: string | null }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          const setCookie = res.headers['set-cookie']?.find((c) => c.startsWith('berth_session='));
          resolve({
            status: res.statusCode ?? 0,
            body: text,
            cookie: setCookie?.split(';')[0] ?? null,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function operator(
  dir: string,
  args: string[],
  stdin: string,
): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [serverMain, ...args], {
    env: { PATH: process.env.PATH ?? '', BERTH_DATA_DIR: dir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('berth-server operator commands, with the server running', () => {
  it('resets a password (ending its sessions) and creates an admin, both audited', async () => {
    const dir = join(dataDir, 'operator');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const origin = { origin: base };
    const server = await startServer({
      BERTH_PORT: String(port),
      BERTH_HOST: '127.0.0.1',
      BERTH_DATA_DIR: dir,
      BERTH_TLS: 'off',
      BERTH_SETUP_TOKEN: 'operator-test-setup-token',
      DOCKER_HOST: 'unix:///nonexistent/berth/docker.sock',
    });
    try {
      const setup = await call(`${base}/api/setup`, 'POST', {
        username: 'admin',
        password: 'first admin password',
        setupToken: 'operator-test-setup-token',
      });
      expect(setup.status).toBe(201);
      const cookie = setup.cookie ?? '';

      const reset = await operator(
        dir,
        ['reset-password', 'admin', '--password-stdin'],
        'a new admin password\n',
      );
      expect(reset.out).toContain('Password of admin reset; 1 session(s) ended.');
      expect(reset.code).toBe(0);
      expect((await call(`${base}/api/me`, 'GET', undefined, { cookie, ...origin })).status).toBe(
        401,
      );
      expect(
        (
          await call(`${base}/api/auth/login`, 'POST', {
            username: 'admin',
            password: 'first admin password',
          })
        ).status,
      ).toBe(401);
      const relogin = await call(`${base}/api/auth/login`, 'POST', {
        username: 'admin',
        password: 'a new admin password',
      });
      expect(relogin.status).toBe(200);

      const created = await operator(
        dir,
        ['create-admin', 'rescue', '--password-stdin'],
        'rescue password 123\n',
      );
      expect(created.code).toBe(0);
      const rescue = await call(`${base}/api/auth/login`, 'POST', {
        username: 'rescue',
        password: 'rescue password 123',
      });
      expect(rescue.status).toBe(200);
      expect(JSON.parse(rescue.body)).toMatchObject({ user: { role: 'admin' } });

      const audit = await call(`${base}/api/audit?user=berth-server`, 'GET', undefined, {
        cookie: rescue.cookie ?? '',
      });
      const actions = (
        JSON.parse(audit.body) as { entries: { action: string; target: string }[] }
      ).entries.map((e) => `${e.action} ${e.target}`);
      expect(actions).toEqual(['user.create rescue', 'password.reset admin']);

      expect(
        await operator(
          dir,
          ['reset-password', 'nobody', '--password-stdin'],
          'whatever password\n',
        ),
      ).toMatchObject({
        code: 1,
        out: expect.stringContaining('no user "nobody"'),
      });
      expect(
        await operator(dir, ['reset-password', 'admin', '--password-stdin'], 'short\n'),
      ).toMatchObject({
        code: 1,
        out: expect.stringContaining('at least 12 characters'),
      });
      expect((await operator(dir, ['launch-missiles'], '')).code).toBe(2);
    } finally {
      server.child.kill('SIGTERM');
      await server.exit;
    }
  });
});

describe('the berth CLI', () => {
  it('prints its version', async () => {
    const child = spawn(process.execPath, [cliMain, '--version'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const { version } = JSON.parse(
      readFileSync(join(root, 'packages', 'cli', 'package.json'), 'utf8'),
    ) as { version: string };
    expect(stdout.trim()).toBe(`berth ${version}`);
  });
});
