// A real Caddy (Debian's `caddy` package, stock: no plugins) on loopback for the proxy tests:
// its admin API on a unix socket (or a loopback port), HTTP and HTTPS on free loopback ports,
// its data (the internal CA, certificates) in a temporary directory, and a user's own route
// in its config file, as a Caddyfile user would have one. restart() starts it again from that
// file, as a restarted Caddy without --resume would: Berth's routes are gone until re-applied.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptInstall, freePort, halt, isRoot, logTail } from './loopback-service.mjs';
import { which } from './run.mjs';

export const CADDY_BIN = '/usr/bin/caddy';

/** Makes sure Debian's caddy is installed (as root with apt); otherwise one clear line. */
export async function ensureCaddyTools() {
  if (existsSync(CADDY_BIN)) return;
  if (isRoot() && (await which('apt-get'))) {
    await aptInstall(['caddy'], 'for the proxy tests');
    if (existsSync(CADDY_BIN)) return;
    throw new Error(`installing caddy gave no ${CADDY_BIN}`);
  }
  throw new Error('the proxy tests need caddy (Debian/Ubuntu: sudo apt-get install caddy)');
}

/** The route a user wrote themselves: Berth must leave it alone. */
export const USER_HOSTNAME = 'user-route.test';
export const USER_ROUTE_BODY = 'the user route answers';

function userConfig({ adminListen, httpPort, httpsPort, logFile }) {
  return {
    admin: { listen: adminListen },
    logging: {
      logs: { default: { writer: { output: 'file', filename: logFile }, level: 'INFO' } },
    },
    apps: {
      http: {
        http_port: httpPort,
        https_port: httpsPort,
        servers: {
          srv0: {
            listen: [`127.0.0.1:${httpsPort}`],
            routes: [
              {
                match: [{ host: [USER_HOSTNAME] }],
                handle: [{ handler: 'static_response', body: USER_ROUTE_BODY }],
                terminal: true,
              },
            ],
          },
        },
      },
      tls: {
        automation: {
          policies: [{ subjects: [USER_HOSTNAME], issuers: [{ module: 'internal' }] }],
        },
      },
      // Never touch this machine's trust store from a test.
      pki: { certificate_authorities: { local: { install_trust: false } } },
    },
  };
}

/** GET on the admin API (a unix socket path or a loopback port); resolves { status, body }. */
export function adminGet(admin, path) {
  return new Promise((resolve, reject) => {
    // Over a unix socket Caddy allows only an empty Host header (RFC 9112: no host name in the
    // URI); on a loopback port, the address itself.
    const target = admin.socketPath
      ? { socketPath: admin.socketPath, setHost: false, headers: { Host: '' } }
      : { host: '127.0.0.1', port: admin.port };
    const req = request({ ...target, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.setTimeout(2000, () => req.destroy(new Error('admin API timed out')));
    req.end();
  });
}

async function adminReady(admin) {
  try {
    return (await adminGet(admin, '/config/')).status === 200;
  } catch {
    return false;
  }
}

/**
 * Starts Caddy. Options: `admin: 'socket' | 'port'` (default socket). Returns
 * { admin (BERTH_CADDY_ADMIN form: unix:///… or http://127.0.0.1:port), adminSocket, adminPort,
 *   httpPort, httpsPort, dir, dataDir, logFile, restart(), stop() }.
 */
export async function startTestCaddy({ admin = 'socket' } = {}) {
  if (!existsSync(CADDY_BIN)) {
    throw new Error('caddy is not installed (Debian/Ubuntu: apt-get install caddy)');
  }
  const dir = await mkdtemp(join(tmpdir(), 'berth-caddy-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'caddy.log');
  const configFile = join(dir, 'caddy.json');
  let child = null;

  async function launch() {
    // Another process may take a free port before Caddy binds it: new ports on each try.
    let failure = '';
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const httpPort = await freePort();
      const httpsPort = await freePort();
      const adminPort = admin === 'port' ? await freePort() : null;
      const adminSocket = admin === 'socket' ? join(dir, 'admin.sock') : null;
      const adminListen = adminSocket ? `unix/${adminSocket}` : `127.0.0.1:${adminPort}`;
      await writeFile(
        configFile,
        JSON.stringify(userConfig({ adminListen, httpPort, httpsPort, logFile }), null, 2),
      );
      const ports = { httpPort, httpsPort, adminPort, adminSocket };
      const started = await spawnCaddy(ports);
      if (started) return ports;
      failure = logTail(join(dir, 'caddy.out'));
    }
    throw new Error(`Caddy did not come up; last lines of its output:\n${failure}`);
  }

  async function spawnCaddy(ports) {
    const outFd = openSync(join(dir, 'caddy.out'), 'a');
    child = spawn(CADDY_BIN, ['run', '--config', configFile], {
      stdio: ['ignore', outFd, outFd],
      env: {
        ...process.env,
        HOME: dir,
        XDG_DATA_HOME: dataDir,
        XDG_CONFIG_HOME: join(dir, 'config'),
      },
    });
    closeSync(outFd);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const target = { socketPath: ports.adminSocket, port: ports.adminPort };
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      if (await adminReady(target)) return true;
      await Promise.race([exited, new Promise((r) => setTimeout(r, 100))]);
    }
    await halt(child);
    return false;
  }

  try {
    let ports = await launch();
    const view = () => ({
      admin: ports.adminSocket
        ? `unix://${ports.adminSocket}`
        : `http://127.0.0.1:${ports.adminPort}`,
      adminSocket: ports.adminSocket,
      adminPort: ports.adminPort,
      httpPort: ports.httpPort,
      httpsPort: ports.httpsPort,
    });
    const handle = {
      ...view(),
      dir,
      dataDir,
      logFile,
      /** The internal CA's root certificate (PEM), once Caddy made it. */
      caRootPath: join(dataDir, 'caddy', 'pki', 'authorities', 'local', 'root.crt'),
      /** Stops Caddy and starts it again from its config file: same ports, Berth's routes gone. */
      async restart() {
        await halt(child);
        if (!(await spawnCaddy(ports))) {
          throw new Error(`Caddy did not come back:\n${logTail(join(dir, 'caddy.out'))}`);
        }
      },
      /** Stops Caddy and keeps it stopped (the admin API unreachable) until start(). */
      async halt() {
        await halt(child);
      },
      async start() {
        if (!(await spawnCaddy(ports))) {
          throw new Error(`Caddy did not start:\n${logTail(join(dir, 'caddy.out'))}`);
        }
      },
      async stop() {
        if (child) await halt(child);
        await rm(dir, { recursive: true, force: true, maxRetries: 5 });
      },
    };
    return handle;
  } catch (err) {
    if (child) await halt(child);
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    throw err;
  }
}
