import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Seconds; from a quick JSON answer to a slow image pull's first byte. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Counts every answer and times it, labelled by the route's declared path pattern
 * (`/api/hosts/:host/containers/:id`), never by the URL asked for: a label per container id or
 * query string would be a new series per request. Requests no route matched are `unmatched`.
 */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const requests = new Counter({
    name: 'berth_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'berth_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  new Gauge({
    name: 'berth_websockets_open',
    help: 'WebSocket connections open (logs, stats, events, terminals, agents)',
    registers: [registry],
    collect() {
      // Undefined until the websocket plugin is registered.
      const server = app.websocketServer as typeof app.websocketServer | undefined;
      this.set(server?.clients.size ?? 0);
    },
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    const labels = { method: request.method, route };
    requests.inc({ ...labels, status: String(reply.statusCode) });
    duration.observe(labels, reply.elapsedTime / 1000);
  });
}
