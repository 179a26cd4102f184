import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
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
      BERTH_HOST: '127.0.0.1',
      BERTH_DATA_DIR: join(dataDir, 'plain'),
      BERTH_TLS: 'off',
      DOCKER_HOST: 'unix:///nonexistent/berth/docker.sock',
    });
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
