// A real container registry (Debian's docker-registry, the CNCF distribution 2.8) on loopback
// for tests of Berth's registry client: its own storage, config and log in a temporary
// directory, optionally behind htpasswd auth, so a run needs no network and no Docker engine.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall, freePort, halt, isRoot, logTail } from './loopback-service.mjs';
import { which } from './run.mjs';

const REGISTRY_BIN = '/usr/bin/docker-registry';

/**
 * Makes sure docker-registry (and htpasswd, for registries with auth) is installed. As root
 * with apt it installs Debian's docker-registry and apache2-utils; otherwise it fails with one
 * clear line.
 */
export async function ensureRegistryTools() {
  const missing = [];
  if (!existsSync(REGISTRY_BIN)) missing.push('docker-registry');
  if (!(await which('htpasswd'))) missing.push('apache2-utils');
  if (missing.length === 0) return;
  if (isRoot() && (await which('apt-get'))) {
    await aptInstall(missing, 'for the test registry');
    return;
  }
  throw new Error(
    `the registry tests need ${missing.join(' and ')} (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')})`,
  );
}

/**
 * A bcrypt htpasswd line made by apache2-utils' htpasswd. Node has no bcrypt and the registry
 * accepts nothing else; the password goes through stdin so it never shows in a process list.
 * Cost 4 (the minimum) because the registry checks the hash on every request.
 */
function htpasswdLine(username, password) {
  return new Promise((resolve, reject) => {
    const child = spawn('htpasswd', ['-n', '-i', '-B', '-C', '4', username], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim();
      if (code === 0 && line.startsWith(`${username}:$2`)) resolve(`${line}\n`);
      else reject(new Error(`htpasswd failed: ${err.trim() || `exit ${code}`}`));
    });
    child.stdin.end(password);
  });
}

// JSON is valid YAML, so the config needs no YAML quoting of paths or secrets.
function registryConfig(dir, port, htpasswdPath) {
  return {
    version: '0.1',
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: join(dir, 'data') },
      delete: { enabled: true },
    },
    http: { addr: `127.0.0.1:${port}`, secret: randomBytes(16).toString('hex') },
    ...(htpasswdPath ? { auth: { htpasswd: { realm: 'berth-test', path: htpasswdPath } } } : {}),
  };
}

async function answersV2(url) {
  try {
    const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200 || res.status === 401;
  } catch {
    return false;
  }
}

// The registry reads REGISTRY_* variables as config overrides; a developer's own must not leak in.
function registryEnv() {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('REGISTRY_')),
  );
}

async function launch(dir, htpasswdPath) {
  const port = await freePort();
  const configPath = join(dir, 'config.yml');
  const logPath = join(dir, 'registry.log');
  await writeFile(configPath, JSON.stringify(registryConfig(dir, port, htpasswdPath), null, 2));
  const logFd = openSync(logPath, 'a');
  const child = spawn(REGISTRY_BIN, ['serve', configPath], {
    stdio: ['ignore', logFd, logFd],
    env: registryEnv(),
  });
  closeSync(logFd);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    if (await answersV2(url)) return { child, url, host: `127.0.0.1:${port}` };
    await Promise.race([exited, new Promise((r) => setTimeout(r, 100))]);
  }
  await halt(child);
  return { failure: logTail(logPath) };
}

/**
 * Starts a registry on a free loopback port. With `auth: { username, password }` it demands
 * HTTP Basic credentials checked against an htpasswd file. Returns { url, host, stop() }.
 */
export async function startTestRegistry({ auth } = {}) {
  if (!existsSync(REGISTRY_BIN)) {
    throw new Error(
      'docker-registry is not installed (Debian/Ubuntu: apt-get install docker-registry)',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'berth-registry-'));
  try {
    let htpasswdPath = null;
    if (auth) {
      htpasswdPath = join(dir, 'htpasswd');
      await writeFile(htpasswdPath, await htpasswdLine(auth.username, auth.password), {
        mode: 0o600,
      });
    }
    // Another process may take the free port before the registry binds it: try a few.
    let failure = '';
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const started = await launch(dir, htpasswdPath);
      if (started.failure !== undefined) {
        failure = started.failure;
        continue;
      }
      const { child, url, host } = started;
      return {
        url,
        host,
        async stop() {
          await halt(child);
          await rm(dir, { recursive: true, force: true, maxRetries: 5 });
        },
      };
    }
    throw new Error(`the test registry did not come up; last lines of its log:\n${failure}`);
  } catch (err) {
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    throw err;
  }
}
