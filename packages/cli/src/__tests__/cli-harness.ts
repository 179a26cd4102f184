import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call, startBerth, type BerthProcess } from '../../../../e2e/berth-process.js';
import { testEngineHost, TEST_IMAGE } from '../../../server/src/testing/test-engine.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
/** The built CLI (`npm test` builds it first), run as a user runs it. */
export const cliMain = join(root, 'packages', 'cli', 'dist', 'main.js');
const SETUP_TOKEN = 'cli-test-setup-token';
export const ADMIN = { username: 'admin', password: 'cli admin password 1' };

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

export interface RunOptions {
  /** Written to the CLI's stdin, then closed. */
  input?: string;
  env?: Record<string, string>;
  /** Resolves once stdout holds this text (then `stop()` ends a follow). */
  signal?: AbortSignal;
}

/**
 * A Berth server on the test engine and a home directory of its own for the CLI's config, so
 * each test file starts with no contexts.
 */
export class CliWorld {
  readonly home = mkdtempSync(join(tmpdir(), 'berth-cli-'));
  berth!: BerthProcess;
  adminCookie = '';
  adminToken = '';

  async start(env: Record<string, string> = {}): Promise<void> {
    this.berth = await startBerth({
      BERTH_DATA_DIR: join(this.home, 'data'),
      DOCKER_HOST: testEngineHost(),
      BERTH_SETUP_TOKEN: SETUP_TOKEN,
      BERTH_HELPER_IMAGE: TEST_IMAGE,
      ...env,
    });
    const setup = await call(this.base, 'POST', '/api/setup', {
      ...ADMIN,
      setupToken: SETUP_TOKEN,
    });
    if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${setup.body}`);
    this.adminCookie = setup.cookie ?? '';
    // The shared test engine holds every suite's containers at once, past what the hardware
    // profile of a small machine recommends (the limit is tested on an engine of its own).
    const lifted = await call(
      this.base,
      'PATCH',
      '/api/settings',
      { allowOverContainerLimit: true },
      this.adminCookie,
    );
    if (lifted.status !== 200) throw new Error(`settings: ${lifted.status} ${lifted.body}`);
    this.adminToken = await this.tokenFor(this.adminCookie, 'cli tests');
  }

  get base(): string {
    return this.berth.base;
  }

  /** An API token made with a session cookie (as `berth login` does). */
  async tokenFor(cookie: string, name: string): Promise<string> {
    const created = await call(this.base, 'POST', '/api/me/tokens', { name }, cookie);
    if (created.status !== 201) throw new Error(`token: ${created.status} ${created.body}`);
    return (JSON.parse(created.body) as { secret: string }).secret;
  }

  /** A user of this role, logged in: its token. */
  async userToken(username: string, role: 'admin' | 'operator' | 'viewer'): Promise<string> {
    const password = `${username} password 123`;
    const made = await call(
      this.base,
      'POST',
      '/api/users',
      { username, password, role, mustChangePassword: false },
      this.adminCookie,
    );
    if (made.status !== 201) throw new Error(`user: ${made.status} ${made.body}`);
    const login = await call(this.base, 'POST', '/api/auth/login', { username, password });
    return this.tokenFor(login.cookie ?? '', `${username} token`);
  }

  /** The environment of a CLI run: its own config home, the server and token by variables. */
  env(token = this.adminToken): Record<string, string> {
    return { BERTH_URL: this.base, BERTH_TOKEN: token };
  }

  /** Runs `berth …` as a process; `env` adds to (or, with '', removes) the defaults. */
  run(args: string[], options: RunOptions = {}): Promise<CliResult> {
    return runCli(args, { ...options, env: { HOME: this.home, ...options.env } });
  }

  async stop(): Promise<void> {
    await this.berth?.kill();
    rmSync(this.home, { recursive: true, force: true });
  }
}

export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        NO_COLOR: '1',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      if ((e as { name?: string }).name === 'AbortError') return;
      reject(e);
    });
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(options.input ?? '');
  });
}
