import { z } from 'zod';
import { StaleField } from './stale.js';

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
    imageDigest: z
      .string()
      .nullable()
      .describe('Registry digest of the image, when it came from one'),
    command: z.string(),
    created: z.iso.datetime(),
    state: ContainerState,
    health: ContainerHealth.nullable(),
    status: z.string().describe('Engine status text, e.g. "Up 3 minutes"'),
    exitCode: z
      .number()
      .int()
      .nullable()
      .describe('Exit code of the last run; null when it never ended (running, or never started)'),
    finishedAt: z.iso.datetime().nullable().describe('When the last run ended'),
    restartCount: z.number().int().describe('Restarts by its restart policy'),
    oomKilled: z.boolean().describe('The last run was killed for lack of memory'),
    ports: z.array(PortMapping),
    networks: z.array(ContainerNetwork),
    mounts: z.array(
      z.object({
        type: z.string(),
        name: z.string().nullable().describe('Volume name, for volume mounts'),
        source: z.string(),
        destination: z.string(),
      }),
    ),
    labels: z.record(z.string(), z.string()),
    composeProject: z.string().nullable(),
    composeService: z.string().nullable(),
    managed: z.boolean().describe('Created by Berth (label io.berth.managed=true)'),
    environment: z.string().nullable().describe('Environment tag: set by Berth or its label'),
  })
  .meta({ id: 'ContainerSummary' });
export type ContainerSummary = z.infer<typeof ContainerSummary>;

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const ContainerListQuery = z.strictObject({
  all: Bool.default(true).describe('Include stopped containers (default true)'),
  status: ContainerState.optional(),
  name: z.string().max(256).optional().describe('Substring of the name'),
  image: z.string().max(512).optional().describe('Substring of the image'),
  label: z.string().max(512).optional().describe('key or key=value'),
  environment: z.string().max(32).optional(),
  project: z.string().max(256).optional().describe('Compose project'),
  managed: Bool.optional(),
  sort: z.enum(['name', 'created', 'state', 'image']).default('created'),
  order: z.enum(['asc', 'desc']).optional().describe('Default: desc for created, asc otherwise'),
});
export type ContainerListQuery = z.infer<typeof ContainerListQuery>;

export const ContainerList = z.object({ containers: z.array(ContainerSummary), stale: StaleField });
export type ContainerList = z.infer<typeof ContainerList>;

export const ContainerParams = z.object({
  host: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63'),
  id: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'an id or a name: letters, digits and _ . - only')
    .describe('Container id, unique id prefix, or name'),
});

/**
 * The details of a 404 for a container id that existed and was removed (a recreate replaces
 * the container under a new id, keeping its name): `current` is the container of that name now.
 */
export const ContainerGone = z.object({
  removed: z.object({ id: z.string(), name: z.string() }),
  current: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type ContainerGone = z.infer<typeof ContainerGone>;

export const ContainerActionResult = z
  .object({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    cli: z.string().describe('The docker command that does the same'),
  })
  .meta({ id: 'ContainerActionResult' });
export type ContainerActionResult = z.infer<typeof ContainerActionResult>;

export const StopQuery = z.strictObject({
  timeout: z.coerce.number().int().min(0).max(3600).optional().describe('Seconds before SIGKILL'),
});
export const KillQuery = z.strictObject({
  signal: z
    .string()
    .regex(/^(SIG)?[A-Z0-9]+$|^\d+$/, 'a signal name like SIGTERM or a number')
    .optional(),
});
export const TopQuery = z.strictObject({
  psArgs: z
    .string()
    .regex(/^[A-Za-z0-9 ,=+-]{1,100}$/, 'ps options: letters, digits, spaces and ,=+- only')
    .optional()
    .describe('Options for ps, as `docker top CONTAINER [ps OPTIONS]` (default -ef)'),
});
export const RemoveQuery = z.strictObject({
  force: Bool.optional(),
  volumes: Bool.optional().describe('Also remove anonymous volumes'),
});
export const RenameBody = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'letters, digits and _ . - only'),
});
const EnvironmentValue = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lowercase letters, digits, _ and -, at most 32');
export const EnvironmentBody = z.strictObject({
  environment: EnvironmentValue.nullable().describe('null clears the tag'),
});

export const ContainerUpdate = z
  .strictObject({
    memoryBytes: z
      .number()
      .int()
      .min(6 * 1024 * 1024)
      .optional(),
    cpus: z.number().positive().max(1024).optional(),
    pidsLimit: z.number().int().positive().optional(),
    restartPolicy: z
      .strictObject({
        name: z.enum(['no', 'always', 'unless-stopped', 'on-failure']),
        maximumRetryCount: z.number().int().min(0).optional(),
      })
      .optional(),
  })
  .meta({ id: 'ContainerUpdate' });
export type ContainerUpdate = z.infer<typeof ContainerUpdate>;

export const BulkAction = z
  .strictObject({
    action: z.enum(['start', 'stop', 'restart', 'kill', 'remove', 'set-environment']),
    ids: z.array(z.string().min(1).max(128)).min(1).max(200),
    force: z.boolean().optional().describe('For remove'),
    environment: EnvironmentValue.nullable()
      .optional()
      .describe('For set-environment: the tag, or null to clear it'),
  })
  .refine((body) => body.action !== 'set-environment' || body.environment !== undefined, {
    message: 'set-environment needs the environment: a tag, or null to clear it',
    path: ['environment'],
  })
  .meta({ id: 'BulkAction' });
export type BulkAction = z.infer<typeof BulkAction>;

export const BulkItemResult = z.object({
  id: z.string(),
  ok: z.boolean(),
  name: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export const BulkResult = z
  .object({
    results: z.array(BulkItemResult),
    succeeded: z.number().int(),
    failed: z.number().int(),
    cli: z.string(),
  })
  .meta({ id: 'BulkResult' });
export type BulkResult = z.infer<typeof BulkResult>;

export const ProcessList = z.object({
  titles: z.array(z.string()),
  processes: z.array(z.array(z.string())),
});
export type ProcessList = z.infer<typeof ProcessList>;
export const FileChanges = z.object({
  changes: z.array(z.object({ path: z.string(), kind: z.enum(['modified', 'added', 'deleted']) })),
});
