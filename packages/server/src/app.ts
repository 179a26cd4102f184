import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import fastifyCookie from '@fastify/cookie';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyContextConfig,
  type FastifyInstance,
  type RouteOptions,
} from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { Logger } from './core/logger.js';
import { registerAuditHook } from './http/audit-hook.js';
import { registerAuthHook } from './http/auth-hook.js';
import { registerCompression } from './http/compression.js';
import { handleClientError, handleError, registerErrorHandling } from './http/error-handler.js';
import { declareUndeclaredInput, registerInputGuards } from './http/input-guards.js';
import { endStreamsWithTheirHost } from './http/host-streams.js';
import { registerOpenApi } from './http/openapi.js';
import { validatorCompiler } from './http/validation.js';
import './http/route-permissions.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { registerWeb } from './http/web.js';
import { auditRoutes } from './modules/audit/audit-routes.js';
import { authRoutes, setupRoutes } from './modules/auth/auth-routes.js';
import { SignInService } from './modules/auth/sign-in-service.js';
import { preferencesRoutes } from './modules/preferences/preferences-routes.js';
import { registerHttpMetrics } from './modules/prometheus/http-metrics.js';
import { prometheusRoutes } from './modules/prometheus/prometheus-routes.js';
import { logAnalysisRoutes } from './modules/log-analysis/log-analysis-routes.js';
import {
  meRoutes,
  sessionsRoutes,
  tokensRoutes,
  twoFactorRoutes,
} from './modules/auth/me-routes.js';
import { containerIoRoutes } from './modules/containers/container-io-routes.js';
import { containerStreamsRoutes } from './modules/containers/container-streams-routes.js';
import { containerAttachRoutes } from './modules/containers/container-attach-routes.js';
import { eventsRoutes } from './modules/events/events-routes.js';
import { imagesRoutes } from './modules/images/images-routes.js';
import { registriesRoutes } from './modules/registries/registries-routes.js';
import { notificationsRoutes } from './modules/notifications/notifications-routes.js';
import { updatesRoutes } from './modules/updates/updates-routes.js';
import { networksRoutes } from './modules/networks/networks-routes.js';
import { servicesRoutes } from './modules/services/services-routes.js';
import { volumesRoutes } from './modules/volumes/volumes-routes.js';
import { systemRoutes } from './modules/system/system-routes.js';
import { metricsRoutes } from './modules/metrics/metrics-routes.js';
import { composeConvertRoutes } from './modules/stacks/convert/compose-convert-routes.js';
import { containersRoutes } from './modules/containers/containers-routes.js';
import { fleetRoutes } from './modules/fleet/fleet-routes.js';
import { healthRoutes } from './modules/health/health-routes.js';
import { hostsRoutes } from './modules/hosts/hosts-routes.js';
import { agentsRoutes } from './modules/agents/agents-routes.js';
import { hostSecurityRoutes } from './modules/security-policy/host-security-routes.js';
import { settingsRoutes } from './modules/settings/settings-routes.js';
import { stacksRoutes } from './modules/stacks/stacks-routes.js';
import { swarmStacksRoutes } from './modules/swarm-stacks/swarm-stacks-routes.js';
import { usersRoutes } from './modules/users/users-routes.js';
import { healthHistoryRoutes } from './modules/health-history/health-history-routes.js';
import { proxyRoutes } from './modules/proxy/proxy-routes.js';
import { alertsRoutes } from './modules/alerts/alerts-routes.js';
import { nodesRoutes, swarmRoutes, swarmsRoutes } from './modules/swarm/swarm-routes.js';
import type { Services } from './services.js';

export interface AppOptions {
  logger: Logger;
  version: string;
  services: Services;
  webRoot: string;
  tls?: { cert: Buffer; key: Buffer } | null;
}

const BODY_LIMIT_BYTES = 1024 * 1024;
/** How long an idle keep-alive connection stays open (Fastify's own default). */
export const KEEP_ALIVE_MS = 72_000;

export interface RouteEntry {
  method: string;
  url: string;
  config: FastifyContextConfig;
  /** The route's validation schemas (zod): params, querystring, body. */
  schema: NonNullable<RouteOptions['schema']>;
}

const routeTables = new WeakMap<FastifyInstance, RouteOptions[]>();

/** Every route the app registered, with its declared config (the permission matrix reads it). */
export function registeredRoutes(app: FastifyInstance): RouteEntry[] {
  // Read at call time: hooks of nested scopes may still add to a route's config after we saw it.
  return (routeTables.get(app) ?? []).flatMap((route) =>
    [route.method].flat().map((method) => ({
      method,
      url: route.url,
      config: route.config ?? {},
      schema: route.schema ?? {},
    })),
  );
}

/** Builds the HTTP application from ready services; main.ts and the tests both call this. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const tls = options.tls ?? null;
  const loggerInstance: FastifyBaseLogger = options.logger;
  const app = Fastify({
    loggerInstance,
    genReqId: () => randomUUID(),
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: true,
    // Malformed URLs and over-long path parameters are answered by the router itself:
    // route them through the one error handler too.
    frameworkErrors: (error, request, reply) => {
      void handleError(error, request, reply);
    },
    clientErrorHandler: handleClientError,
    serverFactory: (handler) => {
      const server = tls
        ? createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, handler)
        : createHttpServer(handler);
      // Fastify applies its keep-alive timeout only to servers it makes itself. Node's own 5 s
      // would close the connection of a browser that polls every few seconds between two
      // requests, so that most of them paid a new TCP and TLS handshake: with many users,
      // the tail latency grew with the number of sessions rather than with the load.
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      return server;
    },
  });
  const routes: RouteOptions[] = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', (route) => {
    declareUndeclaredInput(route);
    endStreamsWithTheirHost(route, {
      retirementOf: (id) => services.hosts.get(id)?.retired,
      onLabelsChanged: (listener) => services.hosts.onLabelsChanged((host) => listener(host.id)),
    });
    routes.push(route);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const indexFile = join(options.webRoot, 'index.html');
  registerErrorHandling(app, existsSync(indexFile) ? readFileSync(indexFile) : null);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
  registerSecurityHeaders(app, tls !== null);
  await registerCompression(app);
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } });
  registerAuthHook(app, {
    auth: services.auth,
    setup: services.setup,
    limiter: services.apiLimiter,
    security: services.security,
    hostLabels: services.hosts,
  });
  registerAuditHook(app, services.audit, services.auditSubjects);
  registerHttpMetrics(app, services.prometheus.registry);
  registerInputGuards(app);

  await registerOpenApi(app, options.version);
  await app.register(healthRoutes(services.health));
  const signInDeps = {
    signIn: new SignInService(services.auth, services.setup),
    secureCookies: tls !== null,
    sessionMaxMs: services.security.sessionMaxMs,
  };
  await app.register(setupRoutes(signInDeps));
  await app.register(authRoutes(signInDeps));
  await app.register(meRoutes(services.auth));
  await app.register(sessionsRoutes(services.auth));
  await app.register(tokensRoutes(services.tokens));
  await app.register(twoFactorRoutes(services.twoFactor));
  await app.register(preferencesRoutes(services.preferences));
  await app.register(usersRoutes(services.users));
  await app.register(auditRoutes(services.audit));
  await app.register(settingsRoutes(services.settings));
  await app.register(hostsRoutes(services.hostsInfo, services.hostRegistry, services.agents));
  await app.register(agentsRoutes(services.agents, services.agentGateway));
  await app.register(hostSecurityRoutes(services.hostSecurity));
  await app.register(fleetRoutes(services.fleet));
  await app.register(
    containersRoutes({
      containers: services.containers,
      actions: services.containerActions,
      creator: services.containerCreator,
    }),
  );
  await app.register(
    containerIoRoutes({
      logs: services.containerLogs,
      streams: services.containerStreams,
      files: services.containerFiles,
    }),
  );
  await app.register(
    containerStreamsRoutes(services.containerStreams, services.containerExec, services.audit),
  );
  await app.register(containerAttachRoutes(services.containerAttach, services.audit));
  await app.register(eventsRoutes(services.events));
  await app.register(imagesRoutes(services.images, services.imageTransfers, services.imageBuilds));
  await app.register(registriesRoutes(services.registries));
  await app.register(updatesRoutes(services.updateChecker, services.containerUpdates));
  await app.register(
    networksRoutes({
      networks: services.networks,
      attachments: services.networkAttachments,
    }),
  );
  await app.register(
    volumesRoutes({
      volumes: services.volumes,
      backups: services.volumeBackups,
      schedules: services.backupSchedules,
    }),
  );
  await app.register(systemRoutes(services.system));
  await app.register(
    metricsRoutes(services.metrics, (host, name) => services.stacks.stacks.require(host, name)),
  );
  await app.register(stacksRoutes(services.stacks));
  await app.register(
    swarmStacksRoutes({ stacks: services.swarmStacks, deploys: services.swarmStackDeploys }),
  );
  await app.register(composeConvertRoutes(services.composeConvert));
  await app.register(healthHistoryRoutes(services.healthHistory));
  await app.register(alertsRoutes(services.alertRules, services.alerts));
  await app.register(proxyRoutes(services.proxy));
  await app.register(
    notificationsRoutes({
      channels: services.notificationChannels,
      notifier: services.notifier,
      deliveries: services.notificationDeliveries,
    }),
  );
  await app.register(prometheusRoutes(services.prometheus));
  await app.register(logAnalysisRoutes(services.logAnalysis));
  const swarmDeps = { swarm: services.swarm, nodes: services.nodes };
  await app.register(swarmRoutes(swarmDeps));
  await app.register(swarmsRoutes(swarmDeps));
  await app.register(nodesRoutes(swarmDeps));
  await app.register(
    servicesRoutes({
      services: services.swarmServices,
      logs: services.serviceLogs,
      secrets: services.swarmSecrets,
    }),
  );
  app.addHook('onClose', () => services.containerStreams.stopAll());
  app.addHook('onClose', () => services.serviceLogs.stopAll());
  await registerWeb(app, options.webRoot);
  return app;
}
