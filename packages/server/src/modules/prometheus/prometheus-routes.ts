import { PROMETHEUS_CONTENT_TYPE } from '@berth/contract';
import { contractRoutes } from '../../http/contract-routes.js';
import type { PrometheusService } from './prometheus-service.js';

export function prometheusRoutes(prometheus: PrometheusService) {
  return contractRoutes('prometheus', {
    scrape: async (request, reply) => {
      const text = await prometheus.scrape((hostId) => request.canSeeHost(hostId));
      return reply.type(PROMETHEUS_CONTENT_TYPE).send(text);
    },
  });
}
