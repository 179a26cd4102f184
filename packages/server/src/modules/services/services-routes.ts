import type { ServiceLogLine, ServiceLogsMessage } from '@berth/contract';
import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import { feedSocket, type Outgoing } from '../containers/container-socket-feed.js';
import { routePlugins } from '../containers/route-plugins.js';
import type { SecretsService } from './secrets-service.js';
import type { ServiceLogsService } from './service-logs.js';
import type { ServicesService } from './services-service.js';

export interface ServicesRoutesDeps {
  services: ServicesService;
  logs: ServiceLogsService;
  secrets: SecretsService;
}

const encodeLines = (lines: ServiceLogLine[]): Outgoing => ({
  text: JSON.stringify({ type: 'lines', lines } satisfies ServiceLogsMessage),
  items: lines.length,
});

/** Swarm services, tasks, service logs, secrets and configs (the host is a manager). */
export function servicesRoutes({ services, logs, secrets }: ServicesRoutesDeps) {
  const target = (request: { params: { host: string; id: string } }) =>
    `${request.params.host}/${request.params.id}`;
  const serviceRoutes = contractRoutes('services', {
    list: (request) => services.list(request.params.host),
    create: async (request, reply) => {
      auditInfo(request).target = `${request.params.host}/${request.body.name}`;
      const created = await services.create(request.params.host, request.body);
      auditInfo(request).details = { id: created.service.id, image: request.body.image };
      return reply.status(201).send(created);
    },
    get: (request) => services.get(request.params.host, request.params.id),
    update: async (request) => {
      auditInfo(request).target = target(request);
      auditInfo(request).details = {
        version: request.body.version,
        fields: Object.keys(request.body).filter((k) => k !== 'version'),
      };
      return services.update(request.params.host, request.params.id, request.body);
    },
    remove: (request) => {
      auditInfo(request).target = target(request);
      return services.remove(request.params.host, request.params.id);
    },
    scale: (request) => {
      auditInfo(request).target = target(request);
      auditInfo(request).details = { replicas: request.body.replicas };
      return services.scale(request.params.host, request.params.id, request.body.replicas);
    },
    rollback: (request) => {
      auditInfo(request).target = target(request);
      return services.rollback(request.params.host, request.params.id);
    },
    resume: (request) => {
      auditInfo(request).target = target(request);
      return services.resume(request.params.host, request.params.id);
    },
    tasks: (request) => services.tasks(request.params.host, request.params.id),
  });
  const taskRoutes = contractRoutes('tasks', {
    list: (request) => services.allTasks(request.params.host, request.query),
  });
  const logRoutes = contractRoutes('serviceLogs', {
    get: (request) => logs.snapshot(request.params.host, request.params.id, request.query),
    stream: (socket, request) => {
      feedSocket(socket, request.log, 1_000, encodeLines, (viewer) =>
        logs.follow(request.params.host, request.params.id, request.query, viewer),
      );
    },
  });
  const secretRoutes = contractRoutes('secrets', {
    list: async (request) => ({ secrets: await secrets.list(request.params.host, 'secret') }),
    create: async (request, reply) => {
      auditInfo(request).target = `${request.params.host}/${request.body.name}`;
      return reply
        .status(201)
        .send(await secrets.create(request.params.host, 'secret', request.body));
    },
    get: (request) => secrets.get(request.params.host, 'secret', request.params.id),
    remove: (request) => secrets.remove(request.params.host, 'secret', request.params.id),
    rotate: async (request) => {
      auditInfo(request).target = target(request);
      const result = await secrets.rotate(request.params.host, request.params.id, request.body);
      auditInfo(request).details = {
        version: result.secret.name,
        services: result.services.map((s) => ({ name: s.name, ok: s.ok })),
      };
      return result;
    },
  });
  const configRoutes = contractRoutes('configs', {
    list: async (request) => ({ configs: await secrets.list(request.params.host, 'config') }),
    create: async (request, reply) => {
      auditInfo(request).target = `${request.params.host}/${request.body.name}`;
      return reply
        .status(201)
        .send(await secrets.create(request.params.host, 'config', request.body));
    },
    get: (request) => secrets.getConfig(request.params.host, request.params.id),
    remove: (request) => secrets.remove(request.params.host, 'config', request.params.id),
  });
  return routePlugins(serviceRoutes, taskRoutes, logRoutes, secretRoutes, configRoutes);
}
