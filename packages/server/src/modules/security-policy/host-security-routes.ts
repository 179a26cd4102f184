import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { HostSecurityService } from './host-security-service.js';

/** A host's security settings: anyone who sees the host reads them, admins change them. */
export function hostSecurityRoutes(service: HostSecurityService) {
  return contractRoutes('hostSecurity', {
    get: (request) => service.get(request.params.host),
    update: (request) => {
      auditInfo(request).details = { ...request.body };
      const username = requirePrincipal(request).user.username;
      return service.update(request.params.host, request.body, username);
    },
  });
}
