import { contractRoutes } from '../../http/contract-routes.js';
import type { HealthHistoryService } from './health-history-service.js';

/** Health history: a container's timeline and a host's "what broke" feed. */
export function healthHistoryRoutes(history: HealthHistoryService) {
  return contractRoutes('healthHistory', {
    timeline: async (request) => ({
      incidents: await history.timeline(request.params.host, request.params.id, request.query),
    }),
    incidents: async (request) => ({
      incidents: await history.incidents(request.params.host, request.query),
    }),
  });
}
