import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from './core/logger.js';
import type { EngineHosts } from './docker/engine-hosts.js';
import { registerErrorHandling } from './http/error-handler.js';
import { registerOpenApi } from './http/openapi.js';
import './http/route-permissions.js';
import { registerWeb } from './http/web.js';
import { ContainersService } from './modules/containers/containers-service.js';
import { containersRoutes } from './modules/containers/containers-routes.js';
import { healthRoutes } from './modules/health/health-routes.js';
import { HealthService } from './modules/health/health-service.js';
import { hostsRoutes } from './modules/hosts/hosts-routes.js';
import { HostsService } from './modules/hosts/hosts-service.js';

export interface AppDeps {
  logger: Logger;
  version: string;
  startedAt: Date;
  hosts: EngineHosts;
  probeDatabase: () => Promise<void>;
  readLocalModel: () => Promise<string | null>;
  webRoot: string;
  tls?: { cert: Buffer; key: Buffer } | null;
}

const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the HTTP application from ready adapters; main.ts and the tests both call this. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance,
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: true,
    serverFactory: (handler) => {
      const tls = deps.tls;
      if (!tls) return createHttpServer(handler);
      return createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, handler);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await registerOpenApi(app, deps.version);
  await app.register(
    healthRoutes(
      new HealthService({
        version: deps.version,
        startedAt: deps.startedAt,
        probeDatabase: deps.probeDatabase,
        hosts: deps.hosts,
      }),
    ),
  );
  await app.register(
    hostsRoutes(new HostsService({ hosts: deps.hosts, readLocalModel: deps.readLocalModel })),
  );
  await app.register(containersRoutes(new ContainersService(deps.hosts)));
  await registerWeb(app, deps.webRoot);
  return app;
}
