// What the test servers on loopback (registry, Prometheus) share: installing their Debian
// package, a free port, the end of their log, and stopping their process.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { run } from './run.mjs';

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Installs Debian packages with apt-get (as root), saying why. */
export async function aptInstall(packages, why) {
  console.log(`berth: installing ${packages.join(' ')} ${why} (apt-get)…`);
  // needrestart would otherwise print a page about services after every install.
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_SUSPEND: '1' };
  await run('apt-get', ['update', '-qq'], { env });
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
}

/** A loopback port free now (another process may still take it: callers retry). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The last lines of a log file, for an error message. */
export function logTail(path) {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Stops a child process: SIGTERM, then SIGKILL after 10 s. */
export async function halt(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
