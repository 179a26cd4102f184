import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { UsersService } from './users-service.js';

export function usersRoutes(service: UsersService) {
  return contractRoutes('users', {
    list: async () => ({ users: await service.list() }),
    create: async (request, reply) => {
      auditInfo(request).target = request.body.username;
      const user = await service.create(request.body);
      auditInfo(request).details = {
        id: user.id,
        role: user.role,
        hosts: user.hosts,
        hostLabels: user.hostLabels,
      };
      return reply.status(201).send(user);
    },
    get: (request) => service.get(request.params.id),
    update: (request) => {
      const { password, ...rest } = request.body;
      auditInfo(request).details = {
        ...rest,
        ...(password !== undefined ? { passwordReset: true } : {}),
      };
      return service.update(requirePrincipal(request), request.params.id, request.body);
    },
    remove: async (request, reply) => {
      await service.delete(requirePrincipal(request), request.params.id);
      return reply.status(204).send(null);
    },
  });
}
