import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { NetworkAttachments } from './network-attachments.js';
import type { NetworksService } from './networks-service.js';

export interface NetworksRoutesDeps {
  networks: NetworksService;
  attachments: NetworkAttachments;
}

/** Networks: CRUD with IPAM, prune, connect/disconnect, reservations, sizing, topology, document. */
export function networksRoutes({ networks, attachments }: NetworksRoutesDeps) {
  return contractRoutes('networks', {
    list: (request) => networks.list(request.params.host),
    create: async (request, reply) => {
      auditInfo(request).target = `${request.params.host}/${request.body.name}`;
      const created = await networks.create(request.params.host, request.body);
      auditInfo(request).details = {
        id: created.id,
        subnets: created.subnets.map((s) => s.subnet),
      };
      return reply.status(201).send(created);
    },
    prune: async (request) => {
      const result = await networks.prune(
        request.params.host,
        request.body.dryRun,
        request.body.label,
      );
      auditInfo(request).details = {
        dryRun: result.dryRun,
        removed: result.removed.map((r) => r.name),
      };
      return result;
    },
    suggestSubnet: (request) =>
      networks.suggest(request.params.host, request.query.expectedContainers),
    topology: (request) => networks.topology(request.params.host),
    document: async (request, reply) =>
      reply
        .header('content-type', 'text/markdown; charset=utf-8')
        .send(await networks.document(request.params.host)),
    get: (request) => networks.get(request.params.host, request.params.id),
    remove: (request) => networks.remove(request.params.host, request.params.id),
    connect: (request) => {
      auditInfo(request).details = {
        container: request.body.container,
        ip: request.body.ipv4Address ?? null,
        reservation: request.body.reservation ?? null,
      };
      return attachments.connect(request.params.host, request.params.id, request.body);
    },
    disconnect: (request) => {
      auditInfo(request).details = { container: request.body.container };
      return attachments.disconnect(
        request.params.host,
        request.params.id,
        request.body.container,
        request.body.force,
      );
    },
    reservations: (request) => attachments.list(request.params.host, request.params.id),
    reserve: async (request, reply) => {
      const reservation = await attachments.reserve(
        request.params.host,
        request.params.id,
        request.body.ip,
        request.body.purpose,
      );
      auditInfo(request).details = { ip: reservation.ip, purpose: reservation.purpose };
      return reply.status(201).send(reservation);
    },
    unreserve: async (request, reply) => {
      await attachments.unreserve(request.params.host, request.params.id, request.params.ip);
      return reply.status(204).send(null);
    },
  });
}
