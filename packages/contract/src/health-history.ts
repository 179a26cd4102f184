import { z } from 'zod';

/** What happened to a container: a health change, an exit, an OOM kill, a restart loop, … */
export const IncidentKind = z.enum([
  'health',
  'exit',
  'oom',
  'restart_loop',
  'post_start_failure',
  'start',
]);
export type IncidentKind = z.infer<typeof IncidentKind>;

/** One entry of a container's health history, recorded from the engine's event stream. */
export const ContainerIncident = z
  .object({
    id: z.string(),
    hostId: z.string(),
    containerId: z.string(),
    containerName: z.string(),
    kind: IncidentKind,
    at: z.iso.datetime(),
    reason: z.string().describe('What happened, in words'),
    exitCode: z.number().int().nullable(),
    health: z.string().nullable().describe('The health status it changed to (kind health)'),
    labels: z.record(z.string(), z.string()),
  })
  .meta({ id: 'ContainerIncident' });
export type ContainerIncident = z.infer<typeof ContainerIncident>;

export const IncidentList = z
  .object({ incidents: z.array(ContainerIncident).describe('Newest first') })
  .meta({ id: 'IncidentList' });
export type IncidentList = z.infer<typeof IncidentList>;

const Limit = z.coerce.number().int().min(1).max(1000).default(200);

export const HealthHistoryQuery = z.strictObject({
  since: z.iso.datetime().optional().describe('Only what happened after this time'),
  limit: Limit,
});
export type HealthHistoryQuery = z.infer<typeof HealthHistoryQuery>;

export const IncidentsQuery = z.strictObject({
  since: z.iso.datetime().optional().describe('Only what happened after this time'),
  kind: IncidentKind.optional(),
  limit: Limit,
});
export type IncidentsQuery = z.infer<typeof IncidentsQuery>;
