import { z } from 'zod';

/**
 * One reading of a running container, as the metrics sampler takes it every interval: gauges
 * as read, counters as totals since the container started (what Prometheus exports).
 */
export const ContainerSample = z
  .object({
    hostId: z.string(),
    containerId: z.string(),
    name: z.string(),
    image: z.string(),
    composeProject: z.string().nullable(),
    composeService: z.string().nullable(),
    at: z.iso.datetime(),
    cpuPercent: z.number().describe('Share of one CPU: 200 means two full CPUs'),
    cpuSecondsTotal: z.number().describe('CPU time used since the container started'),
    memoryWorkingSet: z.number().int().describe('Usage minus inactive page cache (bytes)'),
    memoryLimit: z.number().int().describe('The limit, or the host memory without one'),
    networkRx: z.number().int().describe('Bytes received, total'),
    networkTx: z.number().int().describe('Bytes sent, total'),
    blockRead: z.number().int().describe('Bytes read from block devices, total'),
    blockWrite: z.number().int().describe('Bytes written to block devices, total'),
    pids: z.number().int(),
  })
  .meta({ id: 'ContainerSample' });
export type ContainerSample = z.infer<typeof ContainerSample>;

/** A host's totals over its running containers at one sampling round. */
export const HostSample = z
  .object({
    hostId: z.string(),
    at: z.iso.datetime(),
    cpuPercent: z.number().describe('Sum over running containers (share of one CPU)'),
    memoryUsed: z.number().int().describe('Sum of the working sets'),
    memoryTotal: z.number().int().describe("The engine's host memory"),
    containersRunning: z.number().int(),
    networkRx: z.number().int(),
    networkTx: z.number().int(),
    blockRead: z.number().int(),
    blockWrite: z.number().int(),
  })
  .meta({ id: 'HostSample' });
export type HostSample = z.infer<typeof HostSample>;

/** Stored resolutions: raw samples, then 1-minute and 15-minute rollups. */
export const MetricsResolution = z.enum(['raw', '1m', '15m']);
export type MetricsResolution = z.infer<typeof MetricsResolution>;

export const METRICS_MAX_RANGE_DAYS = 90;
export const METRICS_MAX_POINTS = 2_000;

export const MetricsQuery = z.strictObject({
  from: z.iso
    .datetime({ error: 'must be an ISO 8601 date-time' })
    .optional()
    .describe('Default: an hour before `to`'),
  to: z.iso
    .datetime({ error: 'must be an ISO 8601 date-time' })
    .optional()
    .describe('Default: now'),
  step: z.coerce
    .number({ error: 'must be a number of seconds' })
    .int('must be whole seconds')
    .min(1, 'at least 1 second')
    .max(86_400, 'at most a day')
    .optional()
    .describe('Seconds per point; default: the stored resolution the range fits in'),
});
export type MetricsQuery = z.infer<typeof MetricsQuery>;

/** One point: averages over its step (max where named), rates per second for the counters. */
export const MetricsPoint = z.object({
  at: z.iso.datetime().describe('Start of the step'),
  cpuPercent: z.number(),
  cpuPercentMax: z.number(),
  memory: z.number().describe('Working set, bytes (average)'),
  memoryMax: z.number(),
  memoryLimit: z.number(),
  networkRxRate: z.number().describe('Bytes per second'),
  networkTxRate: z.number(),
  blockReadRate: z.number(),
  blockWriteRate: z.number(),
  pids: z.number().describe('Maximum over the step (containers); running containers (stack, host)'),
});
export type MetricsPoint = z.infer<typeof MetricsPoint>;

export const MetricsSeries = z
  .object({
    subject: z.object({
      kind: z.enum(['container', 'stack', 'host']),
      id: z.string(),
      name: z.string(),
    }),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    step: z.number().int().describe('Seconds per point'),
    resolution: MetricsResolution.describe('The stored resolution the points come from'),
    intervalSeconds: z.number().int().describe("The sampler's interval"),
    points: z.array(MetricsPoint),
  })
  .meta({ id: 'MetricsSeries' });
export type MetricsSeries = z.infer<typeof MetricsSeries>;
