import type { FastifyRequest } from 'fastify';
import { contractRoutes } from '../../http/contract-routes.js';
import type { FleetService } from './fleet-service.js';

/** Every host the caller may see (by id or label): a host outside their grants is never named. */
function visibleTo(request: FastifyRequest): (hostId: string) => boolean {
  return (hostId) => request.canSeeHost(hostId);
}

/** The fleet: summary, lists with a host column, and search across the visible hosts. */
export function fleetRoutes(fleet: FleetService) {
  return contractRoutes('fleet', {
    summary: (request) => fleet.summary({ ...request.query, visible: visibleTo(request) }),
    containers: (request) => fleet.containers({ ...request.query, visible: visibleTo(request) }),
    images: (request) => fleet.images({ ...request.query, visible: visibleTo(request) }),
    volumes: (request) => fleet.volumes({ ...request.query, visible: visibleTo(request) }),
    search: (request) => fleet.search({ ...request.query, visible: visibleTo(request) }),
  });
}
