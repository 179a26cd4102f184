import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import { containerActionHandlers } from './container-actions-routes.js';
import type { ContainerActions } from './container-actions.js';
import type { ContainerCreateService } from './container-create-service.js';
import type { ContainersService } from './containers-service.js';

export interface ContainersRoutesDeps {
  containers: ContainersService;
  actions: ContainerActions;
  creator: ContainerCreateService;
}

/** Containers: list, create, inspect, update, remove, tags, processes, changes, bulk, lifecycle. */
export function containersRoutes(deps: ContainersRoutesDeps) {
  return contractRoutes('containers', {
    ...containerActionHandlers(deps.actions, deps.creator),
    list: (request) => deps.containers.list(request.params.host, request.query),
    create: async (request, reply) => {
      auditInfo(request).target =
        `${request.params.host}/${request.body.name ?? request.body.image}`;
      const created = await deps.creator.create(
        requirePrincipal(request).role,
        request.params.host,
        request.body,
      );
      auditInfo(request).details = {
        id: created.container.id,
        image: created.container.image,
        validation: created.validation?.ok ?? null,
      };
      return reply.status(201).send(created);
    },
    preview: (request) =>
      deps.creator.preview(request.params.host, request.body, request.query.except),
    get: (request) =>
      deps.containers.detail(request.params.host, request.params.id, {
        maskSecrets: requirePrincipal(request).role === 'viewer',
      }),
    update: (request) => {
      auditInfo(request).details = request.body;
      return deps.actions.update(request.params.host, request.params.id, request.body);
    },
    remove: (request) => deps.actions.remove(request.params.host, request.params.id, request.query),
    setEnvironment: (request) => {
      auditInfo(request).details = request.body;
      return deps.containers.setEnvironment(
        request.params.host,
        request.params.id,
        request.body.environment,
      );
    },
    top: (request) =>
      deps.containers.top(request.params.host, request.params.id, request.query.psArgs),
    diff: (request) => deps.containers.changes(request.params.host, request.params.id),
    bulk: async (request) => {
      const result = await deps.actions.bulk(request.params.host, request.body);
      auditInfo(request).details = {
        action: request.body.action,
        results: result.results.map((r) => ({ id: r.id, ok: r.ok })),
      };
      return result;
    },
  });
}
