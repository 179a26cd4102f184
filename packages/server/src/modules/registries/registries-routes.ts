import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { RegistriesService } from './registries-service.js';

/** Registry credentials: admins only; passwords go in, never come out. */
export function registriesRoutes(registries: RegistriesService) {
  return contractRoutes('registries', {
    list: async () => ({ registries: await registries.list() }),
    create: async (request, reply) => {
      auditInfo(request).target = request.body.host;
      auditInfo(request).details = { name: request.body.name, username: request.body.username };
      return reply.status(201).send(await registries.create(request.body));
    },
    get: (request) => registries.get(request.params.id),
    update: (request) => {
      const { password, ...rest } = request.body;
      auditInfo(request).details = {
        ...rest,
        ...(password !== undefined ? { passwordChanged: true } : {}),
      };
      return registries.update(request.params.id, request.body);
    },
    remove: async (request, reply) => {
      await registries.delete(request.params.id);
      return reply.status(204).send(null);
    },
    test: async (request) => {
      const result = await registries.test(request.params.id);
      auditInfo(request).details = result;
      return result;
    },
  });
}
