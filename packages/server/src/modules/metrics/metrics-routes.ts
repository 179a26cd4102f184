import { contractRoutes } from '../../http/contract-routes.js';
import type { MetricsService } from './metrics-service.js';

/** Metrics history of a container and of a host's totals. */
export function metricsRoutes(metrics: MetricsService) {
  return contractRoutes('metrics', {
    container: (request) =>
      metrics.container(request.params.host, request.params.id, request.query),
    host: (request) => metrics.host(request.params.host, request.query),
  });
}
