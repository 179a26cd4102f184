// What every wake test needs: a real Caddy, the test engine (followed by an EngineHosts, for
// its events), a real SQLite database, the audit service, the test directory and the
// controller, and helpers to send requests through Caddy and to watch the engine's events.
import { request } from 'node:http';
import type { ProxyTarget, ProxyWakeInput } from '@berth/contract';
import {
  ensureCaddyTools,
  startTestCaddy,
  type TestCaddy,
} from '../../../../../../../scripts/lib/test-caddy.mjs';
import { migrateToLatest, openDatabase, type Db } from '../../../../core/db/database.js';
import { EngineHosts, type EngineHost } from '../../../../docker/engine-hosts.js';
import { freePort } from '../../../../testing/free-port.js';
import { testLogger } from '../../../../testing/silent-logger.js';
import { EngineFixtures, testEngineEndpoint } from '../../../../testing/test-engine.js';
import { AuditRepository } from '../../../audit/audit-repository.js';
import { AuditService } from '../../../audit/audit-service.js';
import type { StoredProxyRoute } from '../../proxy-ports.js';
import { WakeController } from '../wake-controller.js';
import { WakeStatsRepository } from '../wake-stats-repository.js';
import { CaddyTestDirectory } from './caddy-test-directory.js';

export interface WakeRig {
  caddy: TestCaddy;
  hosts: EngineHosts;
  host: EngineHost;
  db: Db;
  audit: AuditService;
  directory: CaddyTestDirectory;
  controller: WakeController;
  fixtures: EngineFixtures;
  httpPort: number;
  close(): Promise<void>;
}

export async function startWakeRig(): Promise<WakeRig> {
  await ensureCaddyTools();
  const logger = testLogger();
  const caddy = await startTestCaddy({ admin: 'socket' });
  const fixtures = new EngineFixtures();
  const hosts = new EngineHosts(
    [{ id: 'local', name: 'local', endpoint: testEngineEndpoint() }],
    logger,
  );
  hosts.start();
  const host = hosts.get('local');
  if (!host) throw new Error('no local host');
  await host.state.whenSynced();
  const db = openDatabase(':memory:');
  await migrateToLatest(db);
  const audit = new AuditService(new AuditRepository(db), logger);
  const httpPort = await freePort();
  const directory = new CaddyTestDirectory(caddy, fixtures.client, httpPort);
  const controller = new WakeController(
    directory,
    hosts,
    new WakeStatsRepository(db),
    audit,
    logger,
    {
      wakerListen: { host: '127.0.0.1', port: 0 },
      wakerAddress: null,
    },
  );
  await controller.start();
  await directory.setup(controller);
  return {
    caddy,
    hosts,
    host,
    db,
    audit,
    directory,
    controller,
    fixtures,
    httpPort,
    async close() {
      await controller.stop();
      await fixtures.cleanup();
      await hosts.stop();
      await db.destroy();
      await caddy.stop();
    },
  };
}

/** A container answering `body` over HTTP on port 80, published on a free loopback port. */
export async function httpContainer(fixtures: EngineFixtures, base: string, body: string) {
  const id = await fixtures.createWith(base, {
    Cmd: [
      'sh',
      '-c',
      `mkdir -p /www && echo '${body}' > /www/index.html && exec httpd -f -p 80 -h /www`,
    ],
    ExposedPorts: { '80/tcp': {} },
    HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } },
  });
  return { id, name: fixtures.name(base) };
}

export function containerTarget(container: string): ProxyTarget {
  return {
    kind: 'container',
    host: 'local',
    container,
    stack: null,
    service: null,
    swarmService: null,
    port: 80,
    via: 'published',
    address: null,
  };
}

export function wakeRoute(
  id: string,
  hostname: string,
  target: ProxyTarget,
  wake: ProxyWakeInput,
): StoredProxyRoute {
  const at = new Date().toISOString();
  return {
    id,
    hostnames: [hostname],
    pathPrefix: null,
    target,
    tls: 'off',
    auth: { type: 'none' },
    headers: { request: {}, response: {} },
    compress: false,
    wake,
    enabled: true,
    source: { type: 'api' },
    createdAt: at,
    updatedAt: at,
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request to 127.0.0.1:`port` with the Host header `hostname`. */
export function send(
  port: number,
  hostname: string,
  options: { accept?: string; headers?: Record<string, string>; path?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: options.path ?? '/',
        agent: false,
        headers: { host: hostname, accept: options.accept ?? '*/*', ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Counts a container's engine events and resolves on the next one of an action. */
export function watchEvents(host: EngineHost, containerId: string) {
  const counts = new Map<string, number>();
  const waiters: { action: string; resolve: () => void }[] = [];
  const stop = host.state.onEngineEvent((event) => {
    if (event.Type !== 'container' || event.Actor.ID !== containerId) return;
    counts.set(event.Action, (counts.get(event.Action) ?? 0) + 1);
    for (const waiter of waiters.filter((w) => w.action === event.Action)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  return {
    count: (action: string) => counts.get(action) ?? 0,
    next: (action: string) =>
      new Promise<void>((resolve) => {
        waiters.push({ action, resolve });
      }),
    stop,
  };
}
