import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentJoin, HostCreated } from '@berth/contract';
import type { ApiClient } from './api-client.js';
import { makeTlsCertificates } from './tls-certificates.js';
import { startTestApp, type TestApp, type TestAppOptions } from './test-app.js';
import { waitFor } from './wait-for.js';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
/** The built CLI (`npm test` builds it first): the agent runs as users run it. */
export const cliMain = join(root, 'packages', 'cli', 'dist', 'main.js');

/** A test app serving HTTPS on a loopback port: what an agent dials. */
export interface ListeningApp extends TestApp {
  base: string;
  /** PEM of the certificate it serves. */
  certificate: string;
}

/** Certificates for Berth test servers, made once per folder (openssl). */
export async function serverCertificate(
  dir: string,
  tag: string,
): Promise<{ cert: Buffer; key: Buffer }> {
  const { server } = await makeTlsCertificates(dir, tag);
  return { cert: Buffer.from(server.cert), key: Buffer.from(server.key) };
}

export async function startListeningApp(
  tls: { cert: Buffer; key: Buffer },
  options: TestAppOptions = {},
): Promise<ListeningApp> {
  const t = await startTestApp({ ...options, tls });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { ...t, base: `https://127.0.0.1:${address.port}`, certificate: tls.cert.toString() };
}

/** Adds an agent host as an admin: the host and its join answer. */
export async function addAgentHost(
  admin: ApiClient,
  name: string,
): Promise<{ host: HostCreated; join: AgentJoin }> {
  const created = await admin.post('/api/hosts', { name, kind: 'agent' });
  if (created.statusCode !== 201)
    throw new Error(`agent host: ${created.statusCode} ${created.body}`);
  const host = created.json<HostCreated>();
  if (!host.join) throw new Error('no join answer');
  return { host, join: host.join };
}

/** `berth agent …` as a process, its log read while it runs. */
export class AgentProcess {
  err = '';
  code: number | null = null;
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(
    args: string[],
    readonly stateDir: string,
  ) {
    this.child = spawn(process.execPath, [cliMain, 'agent', '--state-dir', stateDir, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', HOME: stateDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.resume();
    this.child.stderr.on('data', (d: Buffer) => (this.err += d.toString()));
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code) => {
        this.code = code;
        resolve(code);
      });
    });
  }

  /** Starts an agent for `engine` (a DOCKER_HOST address), with a state folder of its own unless given. */
  static start(
    options: { server?: string; token?: string; engine: string; stateDir?: string },
    extra: string[] = [],
  ): AgentProcess {
    const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'berth-agent-'));
    const args = ['--engine', options.engine, ...extra];
    if (options.server) args.push('--server', options.server);
    if (options.token) args.push('--token', options.token);
    return new AgentProcess(args, stateDir);
  }

  /** How many times it logged that it is connected. */
  get connections(): number {
    return this.err.split('\n').filter((line) => line.includes('berth agent: connected to')).length;
  }

  /** Resolves once it has connected `times` times in all; fails if it exited first. */
  async connected(times = 1): Promise<void> {
    await waitFor(
      `the agent to connect (${times})`,
      () => {
        if (this.connections >= times) return true;
        if (this.code !== null) throw new Error(`the agent exited (${this.code}): ${this.err}`);
        return false;
      },
      30_000,
    );
  }

  /** Resolves with its exit code once it has exited. */
  async exit(): Promise<number | null> {
    return this.exited;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.code === null) this.child.kill(signal);
    return this.exited;
  }

  /** Kills it and removes its state folder. */
  async dispose(): Promise<void> {
    await this.kill('SIGKILL');
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
