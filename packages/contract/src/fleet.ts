import { z } from 'zod';
import { ContainerHealth, ContainerState, ContainerSummary } from './containers.js';
import { HardwareProfileName, HostId, HostKind } from './hosts.js';
import { ImageSummary } from './images.js';
import { StaleField } from './stale.js';
import { VolumeSummary } from './volumes.js';

/**
 * The fleet: every host the caller may see, at once. Each answer is built from each host's
 * live state (EngineState), never by calling the engines, so an unreachable host adds no
 * latency: it is served from its last known state, marked stale.
 */

const CommaList = (item: z.ZodString) =>
  z
    .string()
    .max(4096)
    .transform((v) => v.split(',').filter((s) => s.length > 0))
    .pipe(z.array(item).max(200));

export const FleetFilter = z.strictObject({
  host: CommaList(HostId).optional().describe('Only these hosts (comma-separated ids)'),
  label: CommaList(z.string().max(32))
    .optional()
    .describe('Only hosts carrying one of these labels'),
});

export const FleetHostSummary = z
  .object({
    id: HostId,
    name: z.string(),
    kind: HostKind,
    labels: z.array(z.string()),
    insecure: z.boolean(),
    reachable: z.boolean(),
    since: z.iso.datetime().describe('When it last became reachable or unreachable'),
    error: z.string().nullable().describe('Why it is unreachable'),
    stale: StaleField,
    version: z.string().nullable(),
    latencyMs: z.number().nullable(),
    lastEventAt: z.iso.datetime().nullable(),
    containers: z.object({
      total: z.number().int(),
      running: z.number().int(),
      paused: z.number().int(),
      restarting: z.number().int(),
      stopped: z.number().int().describe('created, exited or dead'),
      unhealthy: z.number().int(),
    }),
    images: z.number().int(),
    volumes: z.number().int(),
    networks: z.number().int(),
    stacks: z.number().int().describe('Compose projects among its containers'),
    capacity: z
      .object({
        cpus: z.number().int(),
        memoryBytes: z.number().int(),
        profile: HardwareProfileName,
        recommendedContainers: z.number().int(),
        maxContainers: z.number().int(),
      })
      .nullable()
      .describe('The hardware profile, once it was read'),
    updates: z.number().int().describe('Containers whose image has an update available'),
  })
  .meta({ id: 'FleetHostSummary' });
export type FleetHostSummary = z.infer<typeof FleetHostSummary>;

export const FleetSummary = z
  .object({
    hosts: z.array(FleetHostSummary),
    totals: z.object({
      hosts: z.number().int(),
      reachable: z.number().int(),
      containers: z.number().int(),
      running: z.number().int(),
      unhealthy: z.number().int(),
      updates: z.number().int(),
    }),
  })
  .meta({ id: 'FleetSummary' });
export type FleetSummary = z.infer<typeof FleetSummary>;

const Page = {
  q: z.string().max(200).optional().describe('Case-insensitive text to find (name, image, id…)'),
  limit: z.coerce.number().int().min(1).max(2000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
};

/** Where each listed host stands, beside the items: which are stale, which never answered. */
export const FleetHostState = z.object({
  id: HostId,
  reachable: z.boolean(),
  stale: StaleField,
});

export const FleetContainersQuery = FleetFilter.extend({
  ...Page,
  state: ContainerState.optional(),
  health: ContainerHealth.optional(),
});
export const FleetContainer = ContainerSummary.extend({ host: HostId }).meta({
  id: 'FleetContainer',
});
export type FleetContainer = z.infer<typeof FleetContainer>;
export const FleetContainerList = z
  .object({
    containers: z.array(FleetContainer).describe('Sorted by host, then name'),
    total: z.number().int().describe('Matching items across hosts, before limit/offset'),
    hosts: z.array(FleetHostState),
  })
  .meta({ id: 'FleetContainerList' });
export type FleetContainerList = z.infer<typeof FleetContainerList>;

export const FleetImagesQuery = FleetFilter.extend(Page);
export const FleetImage = ImageSummary.extend({ host: HostId }).meta({ id: 'FleetImage' });
export type FleetImage = z.infer<typeof FleetImage>;
export const FleetImageList = z
  .object({
    images: z.array(FleetImage),
    total: z.number().int(),
    hosts: z.array(FleetHostState),
  })
  .meta({ id: 'FleetImageList' });
export type FleetImageList = z.infer<typeof FleetImageList>;

export const FleetVolumesQuery = FleetFilter.extend(Page);
export const FleetVolume = VolumeSummary.extend({ host: HostId }).meta({ id: 'FleetVolume' });
export type FleetVolume = z.infer<typeof FleetVolume>;
export const FleetVolumeList = z
  .object({
    volumes: z.array(FleetVolume),
    total: z.number().int(),
    hosts: z.array(FleetHostState),
  })
  .meta({ id: 'FleetVolumeList' });
export type FleetVolumeList = z.infer<typeof FleetVolumeList>;

export const FleetSearchQuery = FleetFilter.extend({
  q: z.string().min(1, 'is required').max(200),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export const FleetSearchKind = z.enum(['container', 'image', 'volume', 'network', 'stack']);
export const FleetSearchResult = z
  .object({
    results: z.array(
      z.object({
        kind: FleetSearchKind,
        host: HostId,
        id: z.string().describe('What the resource route takes: id, name or stack name'),
        name: z.string(),
        detail: z.string().describe('e.g. the image and state of a container'),
      }),
    ),
  })
  .meta({ id: 'FleetSearchResult' });
export type FleetSearchResult = z.infer<typeof FleetSearchResult>;
