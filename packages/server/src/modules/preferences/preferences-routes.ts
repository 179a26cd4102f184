import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import { requirePrincipal } from '../auth/require-principal.js';
import type { PreferencesService } from './preferences-service.js';

/** GET and PATCH /api/me/preferences: the signed-in user's own UI preferences. */
export function preferencesRoutes(preferences: PreferencesService) {
  return contractRoutes('preferences', {
    get: (request) => preferences.get(requirePrincipal(request).user.id),
    update: (request) => {
      auditInfo(request).details = { ...request.body };
      return preferences.update(requirePrincipal(request).user.id, request.body);
    },
  });
}
