import { z } from 'zod';

export const ContainerState = z.enum([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
]);
export type ContainerState = z.infer<typeof ContainerState>;

export const ContainerHealth = z.enum(['starting', 'healthy', 'unhealthy']);
export type ContainerHealth = z.infer<typeof ContainerHealth>;

export const PortMapping = z.object({
  privatePort: z.number().int(),
  publicPort: z.number().int().nullable(),
  protocol: z.enum(['tcp', 'udp', 'sctp']),
  hostIp: z.string().nullable(),
});
export type PortMapping = z.infer<typeof PortMapping>;

export const ContainerNetwork = z.object({
  name: z.string(),
  networkId: z.string(),
  ipAddress: z.string().nullable(),
});

export const ContainerSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    image: z.string(),
    imageId: z.string(),
    command: z.string(),
    created: z.iso.datetime(),
    state: ContainerState,
    health: ContainerHealth.nullable(),
    status: z.string().describe('Engine status text, e.g. "Up 3 minutes"'),
    ports: z.array(PortMapping),
    networks: z.array(ContainerNetwork),
    labels: z.record(z.string(), z.string()),
    composeProject: z.string().nullable(),
    composeService: z.string().nullable(),
    managed: z.boolean().describe('Created by Berth (label io.berth.managed=true)'),
  })
  .meta({ id: 'ContainerSummary' });
export type ContainerSummary = z.infer<typeof ContainerSummary>;

export const ContainerListQuery = z.object({
  all: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('Include stopped containers (default true)'),
});

export const ContainerList = z.object({ containers: z.array(ContainerSummary) });
export type ContainerList = z.infer<typeof ContainerList>;
