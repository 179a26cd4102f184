// An isolated Docker engine for tests and benchmarks: its own socket, data root, exec root,
// pidfile, containerd namespace and bridge, all in a temporary directory, so a run never
// touches the user's own containers. Used by scripts/test.mjs, scripts/bench.mjs and by the
// integration test that stops and restarts an engine.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capture, run, which } from './run.mjs';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Makes sure dockerd, the docker CLI (tests run the `docker run` Berth shows through it), a
 * static busybox for test images and Debian's docker-compose (the reference for compose labels)
 * are installed. As root with apt it installs Debian's docker.io (which carries both dockerd and
 * docker), busybox-static and docker-compose; otherwise it fails with one clear line.
 */
export async function ensureEngineTools() {
  const missing = [];
  if (!(await which('dockerd')) || !(await which('docker'))) missing.push('docker.io');
  if (!(await isStaticBusybox())) missing.push('busybox-static');
  // Debian's compose CLI (v1) is the reference the stack tests check Berth's compose labels against.
  if (!(await which('docker-compose'))) missing.push('docker-compose');
  if (missing.length === 0) return;
  if (isRoot() && (await which('apt-get'))) {
    console.log(`berth: installing ${missing.join(' ')} for the test engine (apt-get)…`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update', '-qq'], { env });
    await run('apt-get', ['install', '-y', '-qq', ...missing], { env });
    for (const tool of ['dockerd', 'docker']) {
      if (!(await which(tool))) {
        throw new Error(
          `installing docker.io gave no ${tool} on PATH; the tests need both dockerd and the docker CLI`,
        );
      }
    }
    return;
  }
  throw new Error(
    `the tests need a Docker engine and the docker CLI: install ${missing.join(' and ')} (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')}), ` +
      'or set BERTH_TEST_DOCKER_HOST to an engine the tests may use',
  );
}

/** Path of a statically linked busybox, or null. */
export async function isStaticBusybox() {
  const path = await which('busybox');
  if (!path) return null;
  return elfInterpreter(path) === null ? path : null;
}

/**
 * The dynamic loader a 64-bit ELF names in its PT_INTERP program header (what the kernel runs
 * it with), or null for a static one. Anything that is not a 64-bit little-endian ELF counts as
 * dynamic ('unknown').
 */
export function elfInterpreter(path) {
  const elf = readFileSync(path);
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) return 'unknown';
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i += 1) {
    const header = phoff + i * phentsize;
    if (elf.readUInt32LE(header) !== 3) continue;
    const offset = Number(elf.readBigUInt64LE(header + 0x08));
    const size = Number(elf.readBigUInt64LE(header + 0x20));
    return elf
      .subarray(offset, offset + size)
      .toString('latin1')
      .replace(/\0+$/, '');
  }
  return null;
}

function ping(socketPath) {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * The Linux bridges of the engine's own bridge networks. dockerd leaves them behind when it
 * stops, and once its data root is gone nothing would remove them: on a machine that runs the
 * suite often they pile up and take the address ranges new networks need.
 */
function networkBridges(socketPath) {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: '/networks', timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        try {
          const names = JSON.parse(body)
            .filter((n) => n.Driver === 'bridge' && n.Name !== 'bridge')
            .map((n) => n.Options?.['com.docker.network.bridge.name'] ?? `br-${n.Id.slice(0, 12)}`);
          resolve(names);
        } catch {
          resolve([]);
        }
      });
    });
    req.on('error', () => resolve([]));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function createBridge(name) {
  if (!isRoot() || !(await which('ip'))) return null;
  const routes = await capture('ip', ['-4', 'route']).catch(() => '');
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const octet = 64 + Math.floor(Math.random() * 160);
    const subnet = `10.213.${octet}.`;
    if (routes.includes(subnet)) continue;
    try {
      await capture('ip', ['link', 'add', name, 'type', 'bridge']);
      await capture('ip', ['addr', 'add', `${subnet}1/24`, 'dev', name]);
      await capture('ip', ['link', 'set', name, 'up']);
      return name;
    } catch {
      await capture('ip', ['link', 'del', name]).catch(() => undefined);
      return null;
    }
  }
  return null;
}

/**
 * Starts an isolated dockerd. With `bridge: true` it gets a bridge of its own (so published
 * ports work); otherwise it runs with no default bridge and no iptables rules at all.
 * `args` go to dockerd as well (another listener: `--host tcp://127.0.0.1:<port>` with TLS).
 * With `netns` (a namespace `ip netns add` made) the daemon runs in that network namespace,
 * with the default bridge and iptables rules of its own there: a machine of its own on the
 * network the namespace is wired to (a swarm node). Its socket stays on this machine's files.
 * Returns { host, socketPath, dir, stop(), restart() }.
 */
export async function startIsolatedEngine({
  bridge = true,
  quiet = false,
  args: extra = [],
  netns = null,
  env = {},
} = {}) {
  const dockerd = await which('dockerd');
  if (!dockerd)
    throw new Error('dockerd is not installed (Debian/Ubuntu: apt-get install docker.io)');
  const dir = await mkdtemp(join(tmpdir(), 'berth-engine-'));
  const id = randomBytes(3).toString('hex');
  const socketPath = join(dir, 'docker.sock');
  const bridgeName = bridge && !netns ? await createBridge(`berth${id}`) : null;
  const args = [
    '--host',
    `unix://${socketPath}`,
    '--data-root',
    join(dir, 'data'),
    '--exec-root',
    join(dir, 'exec'),
    '--pidfile',
    join(dir, 'docker.pid'),
    '--containerd-namespace',
    `berth-${id}`,
    '--containerd-plugins-namespace',
    `berth-${id}-plugins`,
    // In a namespace of its own the engine's default bridge and rules touch nothing else.
    ...(netns
      ? bridge
        ? []
        : ['--bridge', 'none', '--iptables=false', '--ip-masq=false']
      : bridgeName
        ? ['--bridge', bridgeName]
        : ['--bridge', 'none', '--iptables=false', '--ip-masq=false']),
    ...(await ownIdentityArgs(dockerd, dir)),
    ...extra,
  ];

  let child = null;
  const launch = async () => {
    const logFd = openSync(join(dir, 'dockerd.log'), 'a');
    child = netns
      ? // Only the network namespace: `ip netns exec` would also give it a mount namespace with
        // a fresh /sys, where the cgroup hierarchies dockerd needs are not mounted.
        spawn('nsenter', [`--net=/run/netns/${netns}`, '--', dockerd, ...args], {
          stdio: ['ignore', logFd, logFd],
          env: { ...process.env, ...env },
        })
      : spawn(dockerd, args, { stdio: ['ignore', logFd, logFd], env: { ...process.env, ...env } });
    closeSync(logFd);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      if (await ping(socketPath)) {
        if (!quiet) console.log(`berth: isolated engine up at unix://${socketPath}`);
        return;
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 200))]);
    }
    const log = readFileSync(join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-15).join('\n');
    throw new Error(`the isolated dockerd did not come up; last lines of its log:\n${log}`);
  };

  const halt = async () => {
    if (!child || child.exitCode !== null) return;
    const proc = child;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };

  const engine = {
    host: `unix://${socketPath}`,
    socketPath,
    dir,
    /** Stops the daemon, keeping its data so start() brings the same engine back. */
    halt,
    start: launch,
    /** Stops the daemon and removes everything it had. */
    async stop() {
      const leftovers =
        !netns && child && child.exitCode === null ? await networkBridges(socketPath) : [];
      await halt();
      for (const name of bridgeName ? [bridgeName, ...leftovers] : leftovers)
        await capture('ip', ['link', 'del', name]).catch(() => undefined);
      await unmountBelow(dir);
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
  try {
    await launch();
  } catch (err) {
    await engine.stop();
    throw err;
  }
  return engine;
}

/**
 * Before Docker 23 an engine's ID comes from its trust key, /etc/docker/key.json unless told
 * otherwise: every isolated engine would share one ID, and Berth rightly refuses a second host
 * that reaches "the same" engine. Each gets a key of its own (23+ keeps the ID in its data root).
 */
async function ownIdentityArgs(dockerd, dir) {
  const version = await capture(dockerd, ['--version']).catch(() => '');
  const major = Number(/version (\d+)\./.exec(version)?.[1] ?? '0');
  if (major === 0 || major >= 23) return [];
  // No flag for it: only the config file's `deprecated-key-path`.
  const config = join(dir, 'daemon.json');
  writeFileSync(config, JSON.stringify({ 'deprecated-key-path': join(dir, 'key.json') }));
  return ['--config-file', config];
}

// dockerd unmounts its layers on a clean stop; after a crash some may linger and block removal.
async function unmountBelow(dir) {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1])
    .filter((point) => point && point.startsWith(dir))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) await capture('umount', ['-l', point]).catch(() => undefined);
}
