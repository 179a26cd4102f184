import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { HostRegistry } from './host-registry.js';
import type { AgentsService } from '../agents/agents-service.js';
import { originOf } from '../agents/agents-routes.js';
import type { HostsService } from './hosts-service.js';

/** Hosts: list and view (granted hosts only), add, test, change and remove (admins). */
export function hostsRoutes(service: HostsService, registry: HostRegistry, agents: AgentsService) {
  return contractRoutes('hosts', {
    list: (request) => ({
      hosts: service.list((host) => request.canSeeHost(host)),
    }),
    create: async (request, reply) => {
      // How it is reached, never its key material.
      auditInfo(request).target = request.body.name;
      auditInfo(request).details = { kind: request.body.kind, url: request.body.url };
      const host = service.view(await registry.create(request.body));
      if (host.kind !== 'agent') return reply.status(201).send(host);
      // An agent host comes with the token its agent pairs with: shown this once.
      const join = await agents.issueJoinToken(host.id, request.body.join ?? {}, originOf(request));
      return reply.status(201).send({ ...service.view(registry.hostOf(host.id)), join });
    },
    test: (request) => {
      auditInfo(request).target = request.body.name;
      auditInfo(request).details = { kind: request.body.kind, url: request.body.url };
      return registry.test(request.body);
    },
    get: (request) => service.get(request.params.host),
    update: async (request) =>
      service.view(await registry.update(request.params.host, request.body)),
    remove: async (request, reply) => {
      auditInfo(request).details = { forget: request.query.forget };
      await registry.remove(request.params.host, request.query.forget);
      return reply.status(204).send();
    },
    info: (request) => service.info(request.params.host),
  });
}
