import { contractRoutes } from '../../http/contract-routes.js';
import { auditInfo } from '../../http/route-permissions.js';
import type { SettingsService } from './settings-service.js';

export function settingsRoutes(service: SettingsService) {
  return contractRoutes('settings', {
    get: () => service.get(),
    update: (request) => {
      auditInfo(request).details = request.body;
      return service.update(request.body);
    },
  });
}
