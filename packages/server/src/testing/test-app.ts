import { readLocalMemory } from '../modules/hosts/host-memory.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ProxyConfig, SecurityConfig } from '../config/config.js';
import { DEFAULT_PROXY } from '../modules/proxy/proxy-parts.js';
import type { Logger } from '../core/logger.js';
import type { MetricsConfig } from '../modules/metrics/metrics-parts.js';
import { buildApp } from '../app.js';
import { SecretBox } from '../core/crypto.js';
import { migrateToLatest, openDatabase, type Db } from '../core/db/database.js';
import type { EngineEndpoint } from '../docker/engine-endpoint.js';
import { EngineHosts } from '../docker/engine-hosts.js';
import { HostsRepository } from '../modules/hosts/hosts-repository.js';
import { serverVersion, webRoot } from '../package-paths.js';
import { createServices, type Services, type StackEngine } from '../services.js';
import type { MonitoringOptions } from '../modules/alerts/monitoring-services.js';
import { testLogger } from './silent-logger.js';
import type { DeliveryOptions } from '../modules/notifications/notifier.js';
import { TEST_IMAGE, testEngineEndpoint } from './test-engine.js';

export interface TestApp {
  app: FastifyInstance;
  hosts: EngineHosts;
  db: Db;
  services: Services;
  /** Where this app writes volume backups. */
  backupDir: string;
  /** Where this app keeps stack folders. */
  stacksDir: string;
  close(): Promise<void>;
}

export const TEST_SETUP_TOKEN = 'test-setup-token-0123456789';

export const TEST_SECURITY: SecurityConfig = {
  setupToken: TEST_SETUP_TOKEN,
  passwordMinLength: 12,
  sessionIdleMs: 120 * 60_000,
  sessionMaxMs: 24 * 3_600_000,
  loginMaxFailures: 5,
  loginWindowMs: 15 * 60_000,
  apiRateLimitPerMinute: 10_000,
  trustedOrigins: [],
};

export interface TestAppOptions {
  endpoint?: EngineEndpoint;
  readLocalModel?: () => Promise<string | null>;
  security?: Partial<SecurityConfig>;
  /** Extra hosts registered (unreachable) so grants to other hosts can be tested. */
  extraHosts?: string[];
  now?: () => number;
  /** A logger instead of the silent one (to read what was logged). */
  logger?: Logger;
  /** A database file instead of an in-memory database (to read what lands on disk). */
  databaseFile?: string;
  /** BERTH_HELPER_IMAGE: the test image unless given. */
  helperImage?: string;
  /**
   * The compose loader and runtime of stacks: the test doubles unless given (until the real
   * ones are merged, then the lead makes those the default).
   */
  stackEngine?: StackEngine;
  /** Serve HTTPS with this certificate and key (agents pin the certificate's key). */
  tls?: { cert: Buffer; key: Buffer };
  /** Restart-loop policy, alert evaluation tick, notification sender. */
  monitoring?: MonitoringOptions;
  /** Notification retries: short ones for tests of the queue. */
  notificationDelivery?: Partial<DeliveryOptions>;
  /** Runs the metrics sampler with this config (off in tests unless given). */
  metrics?: MetricsConfig;
  /**
   * Drives this Caddy (its routes loaded, the check loop and label watcher started; the waker
   * on a free loopback port unless `waker` says otherwise).
   */
  proxy?: Omit<ProxyConfig, 'waker'> & Partial<Pick<ProxyConfig, 'waker'>>;
}

/**
 * The real application on a real (in-memory) SQLite database and a real engine: the test
 * engine unless another endpoint is given. Waits for the first sync when the engine is up.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const logger = options.logger ?? testLogger();
  const backupDir = mkdtempSync(join(tmpdir(), 'berth-backups-'));
  const stacksDir = mkdtempSync(join(tmpdir(), 'berth-stacks-'));
  const db = openDatabase(options.databaseFile ?? ':memory:');
  await migrateToLatest(db);
  const endpoint = options.endpoint ?? testEngineEndpoint();
  const hostsRepository = new HostsRepository(db);
  const definitions = [{ id: 'local', name: 'local', endpoint }];
  for (const id of options.extraHosts ?? []) {
    definitions.push({
      id,
      name: id,
      endpoint: { transport: 'unix', socketPath: `/nonexistent/${id}.sock` },
    });
  }
  for (const d of definitions) {
    await hostsRepository.upsert({
      id: d.id,
      name: d.name,
      transport: 'unix',
      endpoint: 'unix://test',
    });
  }
  const hosts = new EngineHosts(definitions, logger, { retryMinMs: 50, retryMaxMs: 500 });
  hosts.start();
  if (!options.endpoint) await hosts.get('local')?.state.whenSynced();
  const services = createServices({
    db,
    hosts,
    box: SecretBox.fromKey(Buffer.alloc(32, 7)),
    logger,
    security: { ...TEST_SECURITY, ...options.security },
    version: serverVersion,
    startedAt: new Date(),
    readLocalModel: options.readLocalModel ?? (() => Promise.resolve(null)),
    readLocalMemory: () => readLocalMemory(),
    helperImage: options.helperImage ?? TEST_IMAGE,
    backupDir,
    stacksDir,
    stackEngine: options.stackEngine,
    now: options.now,
    certificate: options.tls?.cert ?? null,
    monitoring: options.monitoring,
    notificationDelivery: options.notificationDelivery,
    metrics: options.metrics,
    proxy: options.proxy && { waker: DEFAULT_PROXY.waker, ...options.proxy },
  });
  if (options.metrics) services.metricsSampler.start();
  if (options.proxy) await services.startProxy();
  // The shared test engine holds every suite's containers at once, past what the hardware
  // profile of a small machine recommends; the limit itself is tested on an engine of its own
  // (containers/__tests__/capacity.test.ts).
  if (!options.endpoint) await services.settings.update({ allowOverContainerLimit: true });
  await services.registries.load();
  await services.agents.load();
  // As main.ts: the hosts added through the API (a database file kept from an earlier app).
  await services.hostRegistry.load();
  services.notifier.start();
  const app = await buildApp({
    logger,
    version: serverVersion,
    services,
    webRoot,
    tls: options.tls ?? null,
  });
  await app.ready();
  return {
    app,
    hosts,
    db,
    services,
    backupDir,
    stacksDir,
    async close() {
      await services.alertEvaluator.stop();
      await services.incidents.close();
      await services.notifier.stop();
      services.metricsSampler.stop();
      await services.stopProxy();
      await app.close();
      await hosts.stop();
      await db.destroy();
      rmSync(backupDir, { recursive: true, force: true });
      rmSync(stacksDir, { recursive: true, force: true });
    },
  };
}

/** An endpoint where no engine listens, for tests about everything but the engine. */
export const NO_ENGINE: EngineEndpoint = {
  transport: 'unix',
  socketPath: '/nonexistent/berth-test/docker.sock',
};
