import { z } from 'zod';

/** A host id appears in every host-scoped route: `/api/hosts/:host/...`. */
export const HostId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63');
export type HostId = z.infer<typeof HostId>;

export const HostParams = z.object({ host: HostId });
export type HostParams = z.infer<typeof HostParams>;

export const HostTransport = z.enum(['unix', 'tcp', 'ssh', 'agent']);
export type HostTransport = z.infer<typeof HostTransport>;

export const HostCounts = z.object({
  containers: z.number().int(),
  running: z.number().int(),
  images: z.number().int(),
  networks: z.number().int(),
  volumes: z.number().int(),
});

export const Host = z
  .object({
    id: HostId,
    name: z.string(),
    transport: HostTransport,
    endpoint: z.string().describe('Where the engine is reached, e.g. unix:///var/run/docker.sock'),
    reachable: z.boolean(),
    since: z.iso.datetime().describe('When the host last became reachable or unreachable'),
    error: z.string().nullable().describe('Why the host is unreachable'),
    version: z.string().nullable(),
    apiVersion: z.string().nullable(),
    counts: HostCounts,
  })
  .meta({ id: 'Host' });
export type Host = z.infer<typeof Host>;

export const HostList = z.object({ hosts: z.array(Host) });
export type HostList = z.infer<typeof HostList>;

export const HardwareProfileName = z.enum([
  'raspberry-pi',
  'low-end',
  'medium',
  'high-end',
  'enterprise',
]);
export type HardwareProfileName = z.infer<typeof HardwareProfileName>;

export const HardwareProfile = z
  .object({
    cpus: z.number().int().positive(),
    memoryBytes: z.number().int().nonnegative(),
    arch: z.string(),
    model: z.string().nullable().describe('Board model string, where the host exposes one'),
    isRaspberryPi: z.boolean(),
    profile: HardwareProfileName,
    recommendedContainers: z.number().int().describe('Above this, creating a container warns'),
    maxContainers: z.number().int().describe('Above this, creating a container is refused'),
  })
  .meta({ id: 'HardwareProfile' });
export type HardwareProfile = z.infer<typeof HardwareProfile>;

export const EngineSummary = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  osType: z.string(),
  kernelVersion: z.string(),
  architecture: z.string(),
  ncpu: z.number().int(),
  memTotal: z.number().int(),
  storageDriver: z.string(),
  cgroupDriver: z.string(),
  cgroupVersion: z.string(),
  dockerRootDir: z.string(),
  swarm: z.string().describe('Swarm node state: inactive, active, pending, error, locked'),
  containers: z.object({
    total: z.number().int(),
    running: z.number().int(),
    paused: z.number().int(),
    stopped: z.number().int(),
  }),
  images: z.number().int(),
  warnings: z.array(z.string()),
});
export type EngineSummary = z.infer<typeof EngineSummary>;

export const HostMemory = z
  .object({
    totalBytes: z.number().int().nonnegative(),
    availableBytes: z
      .number()
      .int()
      .nonnegative()
      .describe('Free memory plus page cache the kernel can reclaim (MemAvailable)'),
    usedBytes: z
      .number()
      .int()
      .nonnegative()
      .describe('Total minus available: page cache is not used'),
    cacheBytes: z
      .number()
      .int()
      .nonnegative()
      .describe('Page cache and buffers, counted as available'),
  })
  .meta({ id: 'HostMemory' });
export type HostMemory = z.infer<typeof HostMemory>;

export const HostInfo = z
  .object({
    host: HostId,
    engine: EngineSummary,
    hardware: HardwareProfile,
    memory: HostMemory.nullable().describe(
      'Memory of the machine the engine runs on, where Berth can read it (engines on this machine)',
    ),
  })
  .meta({ id: 'HostInfo' });
export type HostInfo = z.infer<typeof HostInfo>;
