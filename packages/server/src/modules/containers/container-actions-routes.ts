import type { Api } from '@berth/contract';
import type { Handlers } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { ContainerActions } from './container-actions.js';
import type { ContainerCreateService } from './container-create-service.js';

type ActionRoute =
  'start' | 'stop' | 'restart' | 'kill' | 'pause' | 'unpause' | 'rename' | 'recreate' | 'duplicate';

/** The `containers` handlers of POST …/:id/<action>: lifecycle, rename, recreate, duplicate. */
export function containerActionHandlers(
  actions: ContainerActions,
  creator: ContainerCreateService,
): Pick<Handlers<Api['containers']>, ActionRoute> {
  return {
    start: (request) => actions.act(request.params.host, request.params.id, 'start'),
    stop: (request) =>
      actions.act(request.params.host, request.params.id, 'stop', {
        timeoutS: request.query.timeout,
      }),
    restart: (request) =>
      actions.act(request.params.host, request.params.id, 'restart', {
        timeoutS: request.query.timeout,
      }),
    kill: (request) =>
      actions.act(request.params.host, request.params.id, 'kill', {
        signal: request.query.signal,
      }),
    pause: (request) => actions.act(request.params.host, request.params.id, 'pause'),
    unpause: (request) => actions.act(request.params.host, request.params.id, 'unpause'),
    rename: (request) => {
      auditInfo(request).details = request.body;
      return actions.rename(request.params.host, request.params.id, request.body.name);
    },
    recreate: async (request) => {
      const { changed, ...result } = await creator.recreate(
        requirePrincipal(request).role,
        request.params.host,
        request.params.id,
        request.body,
      );
      auditInfo(request).details = { changed, newId: result.container.id };
      return result;
    },
    duplicate: async (request, reply) => {
      const created = await creator.duplicate(
        requirePrincipal(request).role,
        request.params.host,
        request.params.id,
        request.body.name,
        request.body.start,
      );
      auditInfo(request).details = { newId: created.container.id, name: request.body.name };
      return reply.status(201).send(created);
    },
  };
}
