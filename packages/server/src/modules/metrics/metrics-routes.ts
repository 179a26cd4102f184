import { contractRoutes } from '../../http/contract-routes.js';
import type { MetricsService } from './metrics-service.js';

/** Throws the stack's 404 when the host has no such stack. */
export type RequireStack = (hostId: string, name: string) => Promise<void>;

/** Metrics history of a container, of a stack's and of a host's totals. */
export function metricsRoutes(metrics: MetricsService, requireStack: RequireStack) {
  return contractRoutes('metrics', {
    container: (request) =>
      metrics.container(request.params.host, request.params.id, request.query),
    stack: async (request) => {
      await requireStack(request.params.host, request.params.name);
      return metrics.stack(request.params.host, request.params.name, request.query);
    },
    host: (request) => metrics.host(request.params.host, request.query),
  });
}
