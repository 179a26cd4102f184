import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { HostRegistry } from './host-registry.js';
import { toHost, type HostsService } from './hosts-service.js';

/** Hosts: list and view (granted hosts only), add, test, change and remove (admins). */
export function hostsRoutes(service: HostsService, registry: HostRegistry) {
  return contractRoutes('hosts', {
    list: (request) => ({
      hosts: service.list((host) => request.canSeeHost(host)),
    }),
    create: async (request, reply) => {
      // How it is reached, never its key material.
      auditInfo(request).target = request.body.name;
      auditInfo(request).details = { kind: request.body.kind, url: request.body.url };
      return reply.status(201).send(toHost(await registry.create(request.body)));
    },
    test: (request) => {
      auditInfo(request).target = request.body.name;
      auditInfo(request).details = { kind: request.body.kind, url: request.body.url };
      return registry.test(request.body);
    },
    get: (request) => service.get(request.params.host),
    update: async (request) => toHost(await registry.update(request.params.host, request.body)),
    remove: async (request, reply) => {
      auditInfo(request).details = { forget: request.query.forget };
      await registry.remove(request.params.host, request.query.forget);
      return reply.status(204).send();
    },
    info: (request) => service.info(request.params.host),
  });
}
