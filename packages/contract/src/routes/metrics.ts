import { ContainerParams } from '../containers.js';
import { ErrorBody } from '../errors.js';
import { HostParams } from '../host-id.js';
import { MetricsQuery, MetricsSeries } from '../metrics.js';
import { httpRoute } from '../route.js';
import { StackParams } from '../stacks.js';

const errors = { 400: ErrorBody, 404: ErrorBody };

/**
 * Metrics history: what the sampler recorded (every running container and each host's totals,
 * every BERTH_METRICS_INTERVAL seconds), from raw samples or their rollups as the range needs.
 */
export const metricsRoutes = {
  container: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/containers/:id/metrics',
    tags: ['metrics'],
    summary: "A container's CPU, memory, network, block I/O and PIDs over time",
    description:
      'Raw samples for up to 24 h, 1-minute averages for 7 days, 15-minute for 90 days. A ' +
      'removed container keeps its history under its ID. Equivalent (live only): `docker stats`',
    permission: 'host:read',
    params: ContainerParams,
    query: MetricsQuery,
    responses: { 200: MetricsSeries, ...errors },
  }),
  stack: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/stacks/:name/metrics',
    tags: ['metrics'],
    summary: "A stack's totals over its running containers over time",
    description:
      'Sums of the containers of the compose project at each sample, kept under the stack ' +
      "(it outlives a redeploy's new containers). Memory's ceiling is the sum of their limits, " +
      'at most the host memory; `pids` counts running containers. Equivalent (live only): ' +
      '`docker stats $(docker ps -q --filter label=com.docker.compose.project=NAME)`',
    permission: 'host:read',
    params: StackParams,
    query: MetricsQuery,
    responses: { 200: MetricsSeries, ...errors },
  }),
  host: httpRoute({
    method: 'GET',
    path: '/api/hosts/:host/metrics',
    tags: ['metrics'],
    summary: "A host's totals over its running containers over time",
    permission: 'host:read',
    params: HostParams,
    query: MetricsQuery,
    responses: { 200: MetricsSeries, ...errors },
  }),
};
