// A real OpenSSH server (Debian's openssh-server) on loopback for tests of SSH hosts: its own
// config, host key, authorized_keys and pid file in a temporary directory, run in the
// foreground (-D) as the test's own user. Each client key it authorizes gets its own
// environment (DOCKER_HOST, PATH) through authorized_keys options, so one sshd can stand for a
// good remote, a remote without the docker CLI and a remote whose engine is gone.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './loopback-service.mjs';
import { capture, run, which } from './run.mjs';

const SSHD_BIN = '/usr/sbin/sshd';
const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Makes sure sshd and ssh-keygen are installed. As root with apt it installs Debian's
 * openssh-server; otherwise it fails with one clear line.
 */
export async function ensureSshTools() {
  if (existsSync(SSHD_BIN) && (await which('ssh-keygen'))) return;
  if (isRoot() && (await which('apt-get'))) {
    console.log('berth: installing openssh-server for the SSH host tests (apt-get)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_SUSPEND: '1' };
    await run('apt-get', ['update', '-qq'], { env });
    await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'openssh-server'], {
      env,
    });
    return;
  }
  throw new Error(
    'the SSH host tests need openssh-server (Debian/Ubuntu: sudo apt-get install openssh-server)',
  );
}

/** A new ed25519 key pair: { privateKey (OpenSSH PEM text), publicKey (one line), fingerprint }. */
async function keyPair(path) {
  await rm(path, { force: true });
  await rm(`${path}.pub`, { force: true });
  await capture('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'berth-test', '-f', path]);
  const listed = await capture('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`]);
  const fingerprint = listed.split(' ')[1];
  return {
    privateKey: readFileSync(path, 'utf8'),
    publicKey: readFileSync(`${path}.pub`, 'utf8').trim(),
    fingerprint,
  };
}

function answersSsh(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('SSH-')));
    socket.once('error', () => done(false));
  });
}

/** Every process whose parent is `pid`, and theirs (the sessions sshd forked). */
function descendants(pid) {
  const children = new Map();
  for (const entry of readdirProc()) {
    const parent = entry.ppid;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(entry.pid);
  }
  const found = [];
  const walk = (p) => {
    for (const child of children.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

function readdirProc() {
  const entries = [];
  for (const name of readdirSyncSafe('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      entries.push({ pid: Number(name), ppid });
    } catch {
      // The process ended while we looked: it is no descendant any more.
    }
  }
  return entries;
}

function readdirSyncSafe(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Starts sshd on a free loopback port. `clients` maps a name to the environment that key's
 * sessions get (e.g. { good: { DOCKER_HOST: 'unix:///run/engine.sock' } }); each gets a key
 * pair of its own. Returns { port, user, hostKey, keys, restart({ newHostKey }), stop() }.
 */
export async function startTestSshd({ clients }) {
  if (!existsSync(SSHD_BIN))
    throw new Error(
      'openssh-server is not installed (Debian/Ubuntu: apt-get install openssh-server)',
    );
  // sshd refuses to start without its privilege separation directory.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = await mkdtemp(join(tmpdir(), 'berth-sshd-'));
  const port = await freePort();
  const hostKeyPath = join(dir, 'host_ed25519');
  const keys = {};
  const lines = [];
  for (const [name, environment] of Object.entries(clients)) {
    keys[name] = await keyPair(join(dir, `client_${name}`));
    const options = Object.entries(environment).map(([k, v]) => `environment="${k}=${v}"`);
    lines.push([options.join(','), keys[name].publicKey].filter(Boolean).join(' '));
  }
  await writeFile(join(dir, 'authorized_keys'), `${lines.join('\n')}\n`, { mode: 0o600 });
  const user = userInfo().username;
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKeyPath}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `AllowUsers ${user}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // environment="…" in authorized_keys sets DOCKER_HOST / PATH per client key.
    'PermitUserEnvironment yes',
    // The temporary directory is not the user's home: skip the ownership checks of ~/.ssh.
    'StrictModes no',
    // One Engine API connection is one session channel: the default of 10 is soon reached.
    'MaxSessions 100',
    'LogLevel ERROR',
  ].join('\n');
  const configPath = join(dir, 'sshd_config');
  await writeFile(configPath, `${config}\n`);

  let child = null;
  let hostKey = null;
  const logPath = join(dir, 'sshd.log');
  async function launch() {
    child = spawn(SSHD_BIN, ['-D', '-e', '-f', configPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      if (await answersSsh(port)) return;
      await Promise.race([exited, new Promise((r) => setTimeout(r, 50))]);
    }
    await halt();
    throw new Error(`the test sshd did not come up: ${stderr.trim() || 'no output'} (${logPath})`);
  }
  /** Ends sshd and every session it forked, so no connection outlives it. */
  async function halt() {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const sessions = descendants(child.pid);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    for (const pid of sessions) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // It ended on its own meanwhile.
      }
    }
    await exited;
  }

  try {
    hostKey = await keyPair(hostKeyPath);
    await launch();
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    user,
    keys,
    get hostKey() {
      return hostKey.fingerprint;
    },
    /** Stops sshd (and its sessions) and starts it again, with a new host key if asked. */
    async restart({ newHostKey = false } = {}) {
      await halt();
      if (newHostKey) hostKey = await keyPair(hostKeyPath);
      await launch();
    },
    /** Stops sshd and its sessions; `restart()` brings it back on the same port. */
    halt,
    async stop() {
      await halt();
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/**
 * An ssh-agent (OpenSSH's) in the foreground on a socket of its own, holding the given private
 * keys. Returns { socket, stop() }: `socket` is what SSH_AUTH_SOCK names.
 */
export async function startTestSshAgent(privateKeys) {
  const dir = await mkdtemp(join(tmpdir(), 'berth-ssh-agent-'));
  const socket = join(dir, 'agent.sock');
  const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 10_000;
    while (!existsSync(socket)) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error('ssh-agent did not start');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 25))]);
    }
    for (const [index, key] of privateKeys.entries()) {
      const path = join(dir, `key${index}`);
      await writeFile(path, key, { mode: 0o600 });
      await capture('ssh-add', ['-q', path], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
    }
    return { socket, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
