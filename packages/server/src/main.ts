#!/usr/bin/env node
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { migrateToLatest, openDatabase, probeDatabase } from './core/db/database.js';
import { createLogger } from './core/logger.js';
import { describeEndpoint } from './docker/engine-endpoint.js';
import { EngineHosts } from './docker/engine-hosts.js';
import { readLocalBoardModel } from './docker/hardware-profile.js';
import { loadTls } from './http/tls.js';
import { HostsRepository } from './modules/hosts/hosts-repository.js';
import { serverVersion, webRoot } from './package-paths.js';

/** Composition root: config -> adapters -> services -> routes, and an orderly shutdown. */
async function main(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const startedAt = new Date();

  const db = openDatabase(config.databaseFile);
  const applied = await migrateToLatest(db);
  if (applied.length > 0)
    logger.info({ migrations: applied.map((m) => m.migrationName) }, 'database migrated');

  const hostsRepository = new HostsRepository(db);
  await hostsRepository.upsert({
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

  const app = await buildApp({
    logger,
    version: serverVersion,
    startedAt,
    hosts,
    probeDatabase: () => probeDatabase(db),
    readLocalModel: () => readLocalBoardModel(),
    webRoot,
    tls,
  });

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    try {
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

  await app.listen({ port: config.port, host: config.host });
  const scheme = tls ? 'https' : 'http';
  logger.info(
    { url: `${scheme}://${config.host}:${config.port}`, engine: config.dockerHost },
    'Berth is listening',
  );
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
main(config).catch((err: unknown) => {
  process.stderr.write(
    `berth: failed to start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
