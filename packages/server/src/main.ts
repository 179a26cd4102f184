#!/usr/bin/env node
import { X509Certificate } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { SecretBox } from './core/crypto.js';
import { migrateToLatest, openDatabase } from './core/db/database.js';
import { errorMessage } from './core/errors.js';
import { createLogger } from './core/logger.js';
import { installProcessGuards } from './core/process-guards.js';
import { ensurePrivateDir } from './core/private-files.js';
import { describeEndpoint } from './docker/engine-endpoint.js';
import { EngineHosts } from './docker/engine-hosts.js';
import { readLocalMemory } from './modules/hosts/host-memory.js';
import { readLocalBoardModel } from './modules/hosts/board-model.js';
import { listenUrls, startBanner } from './http/listen-urls.js';
import { loadTls } from './http/tls.js';
import { HostsRepository } from './modules/hosts/hosts-repository.js';
import { runOperatorCommand } from './operator/operator-cli.js';
import { serverVersion, webRoot } from './package-paths.js';
import { createServices } from './services.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Composition root: config -> adapters -> services -> routes, and an orderly shutdown. */
async function serve(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  installProcessGuards(logger);
  const startedAt = new Date();

  // The database, the secret key and the backups are for Berth's user alone.
  ensurePrivateDir(config.dataDir);
  const db = openDatabase(config.databaseFile);
  const applied = await migrateToLatest(db);
  if (applied.length > 0)
    logger.info({ migrations: applied.map((m) => m.migrationName) }, 'database migrated');

  await new HostsRepository(db).upsert({
    id: 'local',
    name: 'local',
    transport: config.engine.transport,
    endpoint: describeEndpoint(config.engine),
  });
  const hosts = new EngineHosts([{ id: 'local', name: 'local', endpoint: config.engine }], logger);
  hosts.start();

  const tls = await loadTls(config.tls);
  if (tls?.generated)
    logger.info({ dir: config.dataDir }, 'generated a self-signed TLS certificate');
  const services = createServices({
    db,
    hosts,
    box: SecretBox.fromKeyFile(join(config.dataDir, 'secret.key')),
    logger,
    security: config.security,
    version: serverVersion,
    startedAt,
    readLocalModel: () => readLocalBoardModel(),
    readLocalMemory: () => readLocalMemory(),
    helperImage: config.helperImage,
    backupDir: join(config.dataDir, 'backups'),
    stacksDir: join(config.dataDir, 'stacks'),
    certificate: tls?.cert ?? null,
    notificationDelivery: config.notify,
    metrics: config.metrics,
    monitoring: config.monitoring,
    proxy: config.proxy,
  });
  await services.registries.load();
  await services.agents.load();
  // Hosts added through the API, besides local: each starts its client and state now.
  await services.hostRegistry.load();
  // Operations a killed process left half done are settled once each host is synced.
  services.journalRecovery.start();
  services.backupSchedules.start();
  services.updateChecker.start(config.updateCheckHours);
  services.notifier.start();
  services.metricsSampler.start();
  await services.startProxy();
  const housekeeping = async (): Promise<void> => {
    try {
      await services.audit.prune((await services.settings.get()).auditRetentionDays);
      await services.auth.pruneSessions();
    } catch (err) {
      logger.error({ err: errorMessage(err) }, 'housekeeping failed');
    }
  };
  await housekeeping();
  const timer = setInterval(() => void housekeeping(), DAY_MS);
  timer.unref();
  const pruneMetrics = (): void => {
    services.metrics.prune().catch((err: unknown) => {
      logger.error({ err: errorMessage(err) }, 'pruning metrics failed');
    });
  };
  pruneMetrics();
  const metricsTimer = setInterval(pruneMetrics, HOUR_MS);
  metricsTimer.unref();

  // The HTTP server's own logger, so that its line per listening address can be muted: the
  // start banner below says where Berth listens, once.
  const httpLogger = logger.child({});
  const app = await buildApp({
    logger: httpLogger,
    version: serverVersion,
    services,
    webRoot,
    tls,
  });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
      clearInterval(timer);
      clearInterval(metricsTimer);
      services.metricsSampler.stop();
      services.backupSchedules.stop();
      services.updateChecker.stop();
      services.journalRecovery.stop();
      await services.stopProxy();
      await services.alertEvaluator.stop();
      await services.incidents.close();
      await services.notifier.stop();
      await app.close();
      await hosts.stop();
      await db.destroy();
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  const httpLevel = httpLogger.level;
  httpLogger.level = 'warn';
  try {
    await app.listen({ port: config.port, host: config.host });
  } finally {
    httpLogger.level = httpLevel;
  }
  const urls = listenUrls(tls ? 'https' : 'http', config.host, config.port, networkInterfaces());
  // A token preset by BERTH_SETUP_TOKEN is the operator's own secret: not echoed to the log.
  const setupToken = !(await services.setup.required())
    ? null
    : config.security.setupToken === null
      ? services.setup.setupToken
      : '(the one set in BERTH_SETUP_TOKEN)';
  logger.info({ urls, engine: config.dockerHost, setupRequired: setupToken !== null }, 'started');
  // For the person who started it: plain lines on stderr (stdout carries the JSON log).
  const fingerprint = tls ? new X509Certificate(tls.cert).fingerprint256 : null;
  if (fingerprint) logger.info({ fingerprint }, 'TLS certificate');
  process.stderr.write(startBanner(urls, setupToken, fingerprint));
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`berth: ${err.message}\n`);
    process.exit(2);
  }
  throw err;
}

const [command, ...args] = process.argv.slice(2);
if (command === undefined || command === 'serve') {
  serve(config).catch((err: unknown) => {
    process.stderr.write(`berth: failed to start: ${errorMessage(err)}\n`);
    process.exit(1);
  });
} else {
  runOperatorCommand(config, command, args).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`berth-server: ${errorMessage(err)}\n`);
      process.exit(1);
    },
  );
}
