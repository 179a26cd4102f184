import { z } from 'zod';
import { HostId } from './hosts.js';

export const EngineHealth = z
  .object({
    host: HostId,
    reachable: z.boolean(),
    version: z.string().nullable(),
    apiVersion: z.string().nullable(),
    latencyMs: z.number().nullable().describe('Round trip of an engine ping made for this request'),
    error: z.string().optional().describe('Why the engine is unreachable'),
  })
  .meta({ id: 'EngineHealth' });
export type EngineHealth = z.infer<typeof EngineHealth>;

export const Health = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    uptimeS: z.number().int().nonnegative(),
    db: z.object({ ok: z.boolean(), error: z.string().optional() }),
    engines: z.array(EngineHealth),
  })
  .meta({ id: 'Health' });
export type Health = z.infer<typeof Health>;
