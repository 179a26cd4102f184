import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../packages/server/src/testing/free-port.js';
import { waitFor } from '../packages/server/src/testing/wait-for.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const serverMain = join(root, 'packages', 'server', 'dist', 'main.js');

/**
 * A built Berth server running as its own process on a free port: over plain HTTP, or HTTPS
 * when `BERTH_TLS` says so (its self-signed certificate, or the files given).
 */
export interface BerthProcess {
  child: ChildProcess;
  base: string;
  output(): string;
  exit: Promise<number | null>;
  /** Resolves once a log line containing every fragment has been printed. */
  logged(...fragments: string[]): Promise<string>;
  /** SIGKILL: no shutdown, no cleanup, as a crash or an OOM kill would. */
  kill(): Promise<void>;
}

export async function startBerth(env: Record<string, string>): Promise<BerthProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [serverMain], {
    env: {
      PATH: process.env.PATH ?? '',
      BERTH_PORT: String(port),
      BERTH_HOST: '127.0.0.1',
      BERTH_TLS: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const logged = (...fragments: string[]): Promise<string> =>
    waitFor(`a log line with ${fragments.join(' and ')}`, () => {
      if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
      return output.split('\n').find((line) => fragments.every((f) => line.includes(f)));
    });
  await logged('Berth is listening');
  const scheme = env.BERTH_TLS !== undefined && env.BERTH_TLS !== 'off' ? 'https' : 'http';
  return {
    child,
    base: `${scheme}://127.0.0.1:${port}`,
    output: () => output,
    exit,
    logged,
    async kill() {
      child.kill('SIGKILL');
      await exit;
    },
  };
}

export interface CallResult {
  status: number;
  body: string;
  cookie: string | null;
}

/**
 * One JSON request, from this server's own origin (as the web UI sends them). Over https the
 * test server's own certificate is accepted as it is.
 */
export function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  cookie?: string,
): Promise<CallResult> {
  return new Promise((resolve, reject) => {
    const request = base.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(
      `${base}${path}`,
      {
        method,
        rejectUnauthorized: false,
        headers: {
          'content-type': 'application/json',
          origin: base,
          ...(cookie ? { cookie } : {}),
        },
      },
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
