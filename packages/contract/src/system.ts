import { z } from 'zod';
import { StaleField } from './stale.js';
import { PruneResult } from './images.js';

export const StreamTotals = z.object({
  upstreams: z.number().int().describe('Engine streams open now'),
  viewers: z.number().int().describe('WebSocket viewers fed by them'),
  started: z.number().int().describe('Engine streams opened since start'),
});

/** What the server holds open: one engine stream per watched container, however many watch. */
export const StreamsReport = z
  .object({
    logs: StreamTotals,
    stats: StreamTotals,
    memoryRssBytes: z.number().int(),
    memoryHeapUsedBytes: z.number().int().describe('JavaScript heap in use (V8)'),
  })
  .meta({ id: 'StreamsReport' });
export type StreamsReport = z.infer<typeof StreamsReport>;

export const EngineVersion = z
  .record(z.string(), z.unknown())
  .describe('The engine version document, as the engine gives it');

export const DiskUsage = z
  .object({
    images: z.object({
      count: z.number(),
      sizeBytes: z.number(),
      reclaimableBytes: z.number(),
    }),
    containers: z.object({ count: z.number(), sizeBytes: z.number() }),
    volumes: z.object({
      count: z.number(),
      sizeBytes: z.number(),
      reclaimableBytes: z.number(),
    }),
    buildCacheBytes: z.number(),
  })
  .meta({ id: 'DiskUsage' });
export type DiskUsage = z.infer<typeof DiskUsage>;

export const RecentEventsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Health probes run as execs: their exec_create/start/die events are left out unless asked. */
  includeHealthChecks: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const RecentEvent = z.object({
  time: z.string(),
  type: z.string(),
  action: z.string(),
  id: z.string(),
  name: z.string().nullable(),
});
export type RecentEvent = z.infer<typeof RecentEvent>;

export const RecentEvents = z
  .object({ events: z.array(RecentEvent), stale: StaleField })
  .meta({ id: 'RecentEvents' });
export type RecentEvents = z.infer<typeof RecentEvents>;

export const SystemPruneRequest = z.strictObject({
  dryRun: z.boolean().default(true),
  allImages: z.boolean().default(false).describe('Unused images too, not only dangling ones'),
  volumes: z.boolean().default(false).describe('Unused volumes too'),
});
export type SystemPruneRequest = z.infer<typeof SystemPruneRequest>;

export const SystemPruneResult = z
  .object({
    dryRun: z.boolean(),
    containers: PruneResult,
    networks: PruneResult,
    images: PruneResult,
    volumes: PruneResult.nullable(),
    cli: z.string(),
  })
  .meta({ id: 'SystemPruneResult' });
export type SystemPruneResult = z.infer<typeof SystemPruneResult>;
