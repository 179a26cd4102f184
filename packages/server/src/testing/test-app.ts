import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { migrateToLatest, openDatabase, probeDatabase, type Db } from '../core/db/database.js';
import type { EngineEndpoint } from '../docker/engine-endpoint.js';
import { EngineHosts } from '../docker/engine-hosts.js';
import { serverVersion, webRoot } from '../package-paths.js';
import { testLogger } from './silent-logger.js';
import { testEngineEndpoint } from './test-engine.js';

export interface TestApp {
  app: FastifyInstance;
  hosts: EngineHosts;
  db: Db;
  close(): Promise<void>;
}

/**
 * The real application on a real (in-memory) SQLite database and a real engine: the test
 * engine unless another endpoint is given. Waits for the first sync when the engine is up.
 */
export async function startTestApp(
  options: { endpoint?: EngineEndpoint; readLocalModel?: () => Promise<string | null> } = {},
): Promise<TestApp> {
  const logger = testLogger();
  const db = openDatabase(':memory:');
  await migrateToLatest(db);
  const endpoint = options.endpoint ?? testEngineEndpoint();
  const hosts = new EngineHosts([{ id: 'local', name: 'local', endpoint }], logger, {
    retryMinMs: 50,
    retryMaxMs: 500,
  });
  hosts.start();
  if (!options.endpoint) await hosts.get('local')?.state.whenSynced();
  const app = await buildApp({
    logger,
    version: serverVersion,
    startedAt: new Date(),
    hosts,
    probeDatabase: () => probeDatabase(db),
    readLocalModel: options.readLocalModel ?? (() => Promise.resolve(null)),
    webRoot,
  });
  await app.ready();
  return {
    app,
    hosts,
    db,
    async close() {
      await app.close();
      await hosts.stop();
      await db.destroy();
    },
  };
}
