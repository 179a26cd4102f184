import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { contractRoutes } from '../../http/contract-routes.js';
import { atLeast } from '../../http/principal.js';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { ProxyRoutesService } from './proxy-routes-service.js';

/** Routes through Caddy: reads filtered to the hosts the caller sees, changes for admins. */
export function proxyRoutes(proxy: ProxyRoutesService) {
  return contractRoutes('proxy', {
    state: (request) => proxy.state((host) => request.canSeeHost(host)),
    updateSettings: (request) => proxy.updateSettings(request.body),
    list: async (request) => ({
      routes: await proxy.list(request.query, (host) => request.canSeeHost(host)),
    }),
    create: async (request, reply) => {
      const route = await proxy.create(request.body);
      auditInfo(request).target = route.id;
      auditInfo(request).details = { hostnames: route.hostnames, target: route.target };
      return reply.status(201).send(route);
    },
    get: (request) => proxy.get(request.params.id, (host) => request.canSeeHost(host)),
    update: async (request) => {
      const route = await proxy.update(request.params.id, request.body, (host) =>
        request.canSeeHost(host),
      );
      // Passwords never reach the audit log: only which fields changed.
      auditInfo(request).details = {
        hostnames: route.hostnames,
        changed: Object.keys(request.body),
      };
      return route;
    },
    remove: async (request, reply) => {
      const route = await proxy.remove(request.params.id, (host) => request.canSeeHost(host));
      auditInfo(request).details = { hostnames: route.hostnames };
      return reply.status(204).send(null);
    },
    wake: (request) => {
      const canWrite = writerOfHost(request);
      return proxy.wake(request.params.id, requirePrincipal(request).user.username, canWrite);
    },
    sleep: (request) => {
      const canWrite = writerOfHost(request);
      return proxy.sleep(request.params.id, requirePrincipal(request).user.username, canWrite);
    },
  });
}

/**
 * Waking and sleeping start and stop the target: an operator granted its host, or an admin.
 * A viewer who can see the route is told why; one who cannot, that there is no such route.
 */
function writerOfHost(request: FastifyRequest): (host: string) => boolean {
  const principal = requirePrincipal(request);
  return (host) => {
    if (!request.canSeeHost(host)) return false;
    if (!atLeast(principal.role, 'operator')) {
      auditInfo(request).denied = true;
      throw new AppError(
        403,
        'forbidden',
        `This needs the operator role; you have ${principal.role}`,
      );
    }
    return true;
  };
}
