import { contractRoutes } from '../../http/contract-routes.js';
import type { HealthService } from './health-service.js';

export function healthRoutes(service: HealthService) {
  return contractRoutes('health', { get: () => service.health() });
}
