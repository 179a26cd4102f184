import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { SystemService } from './system-service.js';

/** The engine's version, disk usage, recent events and prune; the server's shared streams. */
export function systemRoutes(system: SystemService) {
  return contractRoutes('system', {
    streams: () => system.streams(),
    version: (request) => system.version(request.params.host),
    df: (request) => system.diskUsage(request.params.host),
    events: (request) => system.events(request.params.host, request.query),
    prune: async (request) => {
      const result = await system.prune(request.params.host, request.body);
      auditInfo(request).details = {
        dryRun: result.dryRun,
        containers: result.containers.removed.length,
        images: result.images.removed.length,
        networks: result.networks.removed.length,
        volumes: result.volumes?.removed.length ?? 0,
      };
      return result;
    },
  });
}
