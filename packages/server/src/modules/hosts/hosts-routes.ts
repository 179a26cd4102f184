import { contractRoutes } from '../../http/contract-routes.js';
import { canSeeHost } from '../auth/principal.js';
import type { HostsService } from './hosts-service.js';

export function hostsRoutes(service: HostsService) {
  return contractRoutes('hosts', {
    list: (request) => ({
      hosts: service.list(
        (host) => request.principal !== null && canSeeHost(request.principal, host),
      ),
    }),
    info: (request) => service.info(request.params.host),
  });
}
