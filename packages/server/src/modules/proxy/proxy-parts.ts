import type { ProxyConfig } from '../../config/config.js';
import { errorMessage } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { CaddyAdmin } from './caddy-admin.js';
import { ProxyApplier } from './proxy-applier.js';
import { ProxyCertificates } from './proxy-certificates.js';
import { ProxyLabels } from './proxy-labels.js';
import type { WakeControl } from './proxy-ports.js';
import { ProxyReconciler } from './proxy-reconciler.js';
import type { ProxyRoutesRepository } from './proxy-routes-repository.js';
import { ProxyRoutesService } from './proxy-routes-service.js';
import { ProxyUpstreams } from './proxy-upstreams.js';
import { WakeController } from './wake/wake-controller.js';
import type { WakeStatsRepository } from './wake/wake-stats-repository.js';
import type { AuditSink } from '../../http/audit-sink.js';

const DAY_MS = 86_400_000;

export const DEFAULT_PROXY: ProxyConfig = {
  admin: 'http://127.0.0.1:2019',
  server: null,
  checkEveryMs: 10_000,
  waker: { listen: { host: '127.0.0.1', port: 0 }, address: null },
};

export interface ProxyPartsDeps {
  routesRepository: ProxyRoutesRepository;
  wakeStats: WakeStatsRepository;
  hosts: EngineHosts;
  logger: Logger;
  config: ProxyConfig;
  /** Where wake and sleep are recorded. */
  audit: AuditSink;
  now?: () => number;
}

/** The proxy module's parts: Caddy's admin API, the applier, routes, labels, certificates. */
export function proxyServices(deps: ProxyPartsDeps) {
  const now = deps.now ?? Date.now;
  const admin = new CaddyAdmin(deps.config.admin);
  // The reconciler and the wake controller use each other: the controller is made right
  // after the reconciler, and these calls reach it from then on.
  let controller: WakeController | null = null;
  const wake = (): WakeController => {
    if (!controller) throw new Error('the wake side is used before it was made');
    return controller;
  };
  const wakeControl: WakeControl = {
    pointsAtWaker: (id) => wake().pointsAtWaker(id),
    view: (id) => wake().view(id),
    routeChanged: (id, route) => wake().routeChanged(id, route),
    waker: (id) => wake().waker(id),
    wakerAddress: () => wake().wakerAddress(),
    accessLogAddress: () => wake().accessLogAddress(),
    wake: (id, actor) => wake().wake(id, actor),
    sleep: (id, actor) => wake().sleep(id, actor),
  };
  const applier = new ProxyApplier({
    admin,
    server: deps.config.server,
    checkEveryMs: deps.config.checkEveryMs,
    logger: deps.logger,
    accessLogAddress: () => wakeControl.accessLogAddress(),
    now,
  });
  const certificates = new ProxyCertificates(() => httpsListener(admin, applier), now);
  const proxyReconciler = new ProxyReconciler({
    hosts: deps.hosts,
    admin,
    applier,
    upstreams: new ProxyUpstreams(deps.hosts),
    certificates,
    wake: wakeControl,
    logger: deps.logger,
  });
  const wakeController = new WakeController(
    proxyReconciler,
    deps.hosts,
    deps.wakeStats,
    deps.audit,
    deps.logger.child({ module: 'proxy-wake' }),
    { wakerListen: deps.config.waker.listen, wakerAddress: deps.config.waker.address, now },
  );
  controller = wakeController;
  const proxy = new ProxyRoutesService({
    repository: deps.routesRepository,
    reconciler: proxyReconciler,
    applier,
    certificates,
    hosts: deps.hosts,
    admin,
    wake: wakeControl,
    now,
  });
  const proxyLabels = new ProxyLabels(deps.hosts, proxy, deps.logger);
  let certificateTimer: NodeJS.Timeout | null = null;
  return {
    proxy,
    proxyReconciler,
    proxyLabels,
    /** Loads the routes, writes them to Caddy, starts the check loop and the label watcher. */
    async startProxy(): Promise<void> {
      // The waker and the access-log listener first: routes are written with their addresses.
      await wakeController.start();
      await proxy.load();
      applier.start();
      proxyLabels.start();
      certificateTimer = setInterval(() => {
        proxyReconciler.refreshCertificates().catch((err: unknown) => {
          deps.logger.warn({ err: errorMessage(err) }, 'reading certificates failed');
        });
      }, DAY_MS);
      certificateTimer.unref();
    },
    async stopProxy(): Promise<void> {
      if (certificateTimer) clearInterval(certificateTimer);
      certificateTimer = null;
      proxyLabels.close();
      proxyReconciler.stop();
      await applier.stop();
      await wakeController.stop();
    },
  };
}

/** Caddy's HTTPS listener as Berth reaches it: the server's port, on Caddy's admin host. */
function httpsListener(
  admin: CaddyAdmin,
  applier: ProxyApplier,
): { host: string; port: number } | null {
  // Caddy's listen addresses may carry a network: tcp/127.0.0.1:443.
  const listen = applier.reachability().listen[0]?.replace(/^[a-z0-9]+\//, '');
  const match = listen ? /^(.*):(\d+)$/.exec(listen) : null;
  if (!match?.[2]) return null;
  const bound = match[1] ?? '';
  const adminHost = admin.address.startsWith('unix://')
    ? '127.0.0.1'
    : new URL(admin.address).hostname;
  const host = bound === '' || bound === '0.0.0.0' || bound === '[::]' ? adminHost : bound;
  return { host: host.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}
