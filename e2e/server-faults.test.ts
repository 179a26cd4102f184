import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../packages/server/src/testing/free-port.js';
import { waitFor } from '../packages/server/src/testing/wait-for.js';

/**
 * The built server as a process, for what only a process shows: the modes of the files it
 * writes, and what it does with a bug that escapes every handler. The faults come from a test
 * preload (`node --import`), so the server itself has no way in for them.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const serverMain = join(root, 'packages', 'server', 'dist', 'main.js');
const faultPreload = join(root, 'e2e', 'fixtures', 'fault-preload.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'berth-faults-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Server {
  child: ChildProcess;
  port: number;
  output: () => string;
  exit: Promise<number | null>;
}

async function startServer(dataDir: string, nodeArgs: string[] = []): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, serverMain], {
    env: {
      PATH: process.env.PATH ?? '',
      BERTH_PORT: String(port),
      BERTH_HOST: '127.0.0.1',
      BERTH_TLS: 'off',
      BERTH_DATA_DIR: dataDir,
      DOCKER_HOST: process.env.BERTH_TEST_DOCKER_HOST ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(
    'the server listening',
    () => {
      if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
      return output.includes('Berth is listening');
    },
    30_000,
  );
  return { child, port, output: () => output, exit };
}

function healthStatus(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet(`http://127.0.0.1:${port}/api/health`, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('the server process and its files', () => {
  it('creates its data directory 0700 and the database, -wal, -shm and key 0600', async () => {
    const dataDir = join(scratch, 'fresh', 'data');
    const server = await startServer(dataDir);
    expect(modeOf(dataDir)).toBe(0o700);
    for (const file of ['berth.db', 'berth.db-wal', 'berth.db-shm', 'secret.key'])
      expect([file, modeOf(join(dataDir, file))]).toEqual([file, 0o600]);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
  });

  it('tightens a world-readable data directory and database left by an older version', async () => {
    const dataDir = join(scratch, 'older');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    for (const file of ['berth.db', 'berth.db-wal']) {
      writeFileSync(join(dataDir, file), '');
      chmodSync(join(dataDir, file), 0o644);
    }
    const server = await startServer(dataDir);
    expect(modeOf(dataDir)).toBe(0o700);
    for (const file of ['berth.db', 'berth.db-wal', 'berth.db-shm'])
      expect([file, modeOf(join(dataDir, file))]).toEqual([file, 0o600]);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
  });

  it('logs an unhandled rejection with its stack and count, and serves on', async () => {
    const server = await startServer(join(scratch, 'rejection'), ['--import', faultPreload]);
    server.child.kill('SIGUSR2');
    const line = await waitFor('the rejection logged', () =>
      server
        .output()
        .split('\n')
        .find((l) => l.includes('test-only unhandled rejection')),
    );
    expect(JSON.parse(line)).toMatchObject({
      level: 50,
      msg: expect.stringContaining('unhandled promise rejection'),
      unhandledRejections: 1,
      err: { message: 'test-only unhandled rejection', stack: expect.stringContaining('Error') },
    });
    expect(await healthStatus(server.port)).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
  });

  it('logs an uncaught exception as fatal and exits 1', async () => {
    const server = await startServer(join(scratch, 'exception'), ['--import', faultPreload]);
    server.child.kill('SIGHUP');
    expect(await server.exit).toBe(1);
    const line = server
      .output()
      .split('\n')
      .find((l) => l.includes('test-only uncaught exception'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      level: 60,
      msg: 'uncaught exception; exiting',
      err: { message: 'test-only uncaught exception' },
    });
  });
});
