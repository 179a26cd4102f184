import { z } from 'zod';
import { parseGoDuration } from './durations.js';
import { HostId } from './host-id.js';
import { Labels } from './labels.js';
import { LogLineView, LogTime } from './container-io.js';

/** Swarm services and their tasks: what Berth shows and takes (mapped from the Engine API). */

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const Ref = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'an id or a name: letters, digits and _ . - only');
export const ServiceName = z
  .string()
  .regex(
    /^[a-zA-Z0-9](?:[a-zA-Z0-9_.-]{0,61}[a-zA-Z0-9])?$/,
    'letters, digits and _ . -, starting and ending with a letter or digit, at most 63',
  );
/** A Go duration as docker writes it: "10s", "1m30s", "500ms" (a bare number is seconds). */
export const Duration = z
  .string()
  .max(32)
  .refine((v) => parseGoDuration(v) !== null, 'a duration like 10s, 1m30s or 500ms');

export const ServiceParams = z.object({
  host: HostId,
  id: Ref.describe('Service id, id prefix, or name'),
});
export const TaskParams = z.object({ host: HostId, id: Ref.describe('Task id') });

export const ServicePort = z.object({
  target: z.number().int(),
  published: z.number().int().nullable(),
  protocol: z.string(),
  mode: z.enum(['ingress', 'host']),
});
export type ServicePort = z.infer<typeof ServicePort>;

export const UpdateState = z.enum([
  'updating',
  'paused',
  'completed',
  'rollback_started',
  'rollback_paused',
  'rollback_completed',
]);
export type UpdateState = z.infer<typeof UpdateState>;

export const ServiceUpdateStatus = z
  .object({
    state: UpdateState,
    rollback: z
      .enum(['automatic', 'manual', 'unknown'])
      .nullable()
      .describe(
        "Who rolled back: the engine on a failed update (FailureAction rollback) or a user (Berth's rollback, docker service rollback); unknown for a rollback that ended before Berth saw it start; null when no rollback",
      ),
    message: z.string(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
  })
  .meta({ id: 'ServiceUpdateStatus' });
export type ServiceUpdateStatus = z.infer<typeof ServiceUpdateStatus>;

export const ServiceSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    image: z.string(),
    mode: z.enum(['replicated', 'global']),
    replicas: z.number().int().nullable().describe('Desired replicas; null for a global service'),
    running: z.number().int(),
    desired: z.number().int(),
    ports: z.array(ServicePort),
    update: ServiceUpdateStatus.nullable(),
    stack: z.string().nullable().describe('The com.docker.stack.namespace label'),
    labels: z.record(z.string(), z.string()),
    version: z.number().int().describe('The spec version a change must name'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ServiceSummary' });
export type ServiceSummary = z.infer<typeof ServiceSummary>;
export const ServiceList = z.object({ services: z.array(ServiceSummary) }).meta({
  id: 'ServiceList',
});
export type ServiceList = z.infer<typeof ServiceList>;

const FileReference = z.strictObject({
  name: Ref.describe('The secret or config, by name or id'),
  target: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^\0]+$/, 'a file name (under /run/secrets/ for a secret) or an absolute path')
    .optional()
    .describe('File name in the task (default: the name)'),
  uid: z.string().regex(/^\d+$/, 'a numeric user id').default('0'),
  gid: z.string().regex(/^\d+$/, 'a numeric group id').default('0'),
  mode: z.number().int().min(0).max(0o777).default(0o444),
});

const UpdatePolicy = z.strictObject({
  parallelism: z.number().int().min(0).max(1000).optional(),
  delay: Duration.optional(),
  failureAction: z.enum(['continue', 'pause', 'rollback']).optional(),
  monitor: Duration.optional(),
  maxFailureRatio: z.number().min(0).max(1).optional(),
  order: z.enum(['stop-first', 'start-first']).optional(),
});
export type UpdatePolicy = z.infer<typeof UpdatePolicy>;

const ResourceValues = z.strictObject({
  cpus: z.number().positive().max(1024).optional(),
  memoryBytes: z
    .number()
    .int()
    .min(4 * 1024 * 1024, 'at least 4 MiB')
    .optional(),
});

const EnvMap = z.record(
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'),
  z.string().max(32_768),
);
const Constraints = z
  .array(z.string().regex(/^[^=!]+(==|!=)[^=]+$/, 'like node.role==manager'))
  .max(32);
const Argv = z.array(z.string().max(4096)).max(256);

export const ServiceCreate = z
  .strictObject({
    name: ServiceName,
    image: z.string().min(1).max(512),
    mode: z.enum(['replicated', 'global']).default('replicated'),
    replicas: z.number().int().min(0).max(1000).optional().describe('Replicated only (default 1)'),
    command: Argv.optional(),
    args: Argv.optional(),
    env: EnvMap.optional(),
    workdir: z.string().max(4096).optional(),
    user: z.string().max(256).optional(),
    ports: z
      .array(
        z.strictObject({
          target: z.number().int().min(1).max(65535),
          published: z.number().int().min(1).max(65535).optional(),
          protocol: z.enum(['tcp', 'udp', 'sctp']).default('tcp'),
          mode: z.enum(['ingress', 'host']).default('ingress'),
        }),
      )
      .max(100)
      .optional(),
    mounts: z
      .array(
        z.strictObject({
          type: z.enum(['volume', 'bind', 'tmpfs']),
          source: z.string().max(4096).optional(),
          target: z.string().regex(/^\//, 'an absolute path').max(4096),
          readOnly: z.boolean().default(false),
        }),
      )
      .max(100)
      .optional(),
    networks: z.array(Ref).max(32).optional(),
    constraints: Constraints.optional(),
    preferences: z
      .array(z.string().min(1).max(256))
      .max(8)
      .optional()
      .describe('Spread descriptors, e.g. node.labels.zone'),
    resources: z
      .strictObject({ limits: ResourceValues.optional(), reservations: ResourceValues.optional() })
      .optional(),
    restartPolicy: z
      .strictObject({
        condition: z.enum(['none', 'on-failure', 'any']).optional(),
        delay: Duration.optional(),
        maxAttempts: z.number().int().min(0).max(1000).optional(),
        window: Duration.optional(),
      })
      .optional(),
    updateConfig: UpdatePolicy.optional(),
    rollbackConfig: UpdatePolicy.optional(),
    healthcheck: z
      .strictObject({
        test: z.array(z.string().max(4096)).min(1).max(64),
        interval: Duration.optional(),
        timeout: Duration.optional(),
        retries: z.number().int().min(0).max(100).optional(),
        startPeriod: Duration.optional(),
      })
      .optional(),
    stopGracePeriod: Duration.optional(),
    labels: Labels.optional(),
    containerLabels: Labels.optional(),
    secrets: z.array(FileReference).max(64).optional(),
    configs: z.array(FileReference).max(64).optional(),
  })
  .refine((v) => v.mode === 'replicated' || v.replicas === undefined, {
    path: ['replicas'],
    message: 'a global service runs one task per node: leave replicas out',
  })
  .meta({ id: 'ServiceCreate' });
export type ServiceCreate = z.infer<typeof ServiceCreate>;

export const ServiceUpdate = z
  .strictObject({
    version: z
      .number()
      .int()
      .min(0)
      .describe('The version read with the service: a change made since is refused (409)'),
    image: z.string().min(1).max(512).optional(),
    replicas: z.number().int().min(0).max(1000).optional(),
    env: EnvMap.optional().describe('The whole environment (replaces it)'),
    command: Argv.optional(),
    args: Argv.optional(),
    labels: Labels.optional(),
    constraints: Constraints.optional(),
    updateConfig: UpdatePolicy.optional(),
    rollbackConfig: UpdatePolicy.optional(),
    secrets: z.array(FileReference).max(64).optional(),
    configs: z.array(FileReference).max(64).optional(),
    force: z.boolean().default(false).describe('Restart every task even if nothing changed'),
  })
  .meta({ id: 'ServiceUpdate' });
export type ServiceUpdate = z.infer<typeof ServiceUpdate>;

export const ScaleRequest = z.strictObject({ replicas: z.number().int().min(0).max(1000) });

export const FileReferenceView = z.object({
  id: z.string(),
  name: z.string(),
  target: z.string(),
});

export const ServiceDetail = ServiceSummary.extend({
  command: z.array(z.string()),
  args: z.array(z.string()),
  env: z.array(z.string()).describe('KEY=value, as the spec holds it'),
  networks: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
  constraints: z.array(z.string()),
  secrets: z.array(FileReferenceView),
  configs: z.array(FileReferenceView),
  previousImage: z.string().nullable().describe('The image before the last update'),
  spec: z.record(z.string(), z.unknown()).describe("The engine's spec as it is"),
  previousSpec: z.record(z.string(), z.unknown()).nullable(),
}).meta({ id: 'ServiceDetail' });
export type ServiceDetail = z.infer<typeof ServiceDetail>;

export const ServiceChange = z
  .object({
    service: ServiceSummary,
    warnings: z.array(z.string()),
    cli: z.string(),
  })
  .meta({ id: 'ServiceChange' });
export type ServiceChange = z.infer<typeof ServiceChange>;

export const TaskState = z.string().describe('new … running, complete, shutdown, failed, rejected');
export const TaskView = z
  .object({
    id: z.string(),
    serviceId: z.string(),
    serviceName: z.string().nullable(),
    slot: z.number().int().nullable(),
    nodeId: z.string().nullable(),
    nodeHostname: z.string().nullable(),
    desiredState: TaskState,
    state: TaskState,
    message: z.string(),
    error: z.string().nullable(),
    containerId: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    image: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    statusAt: z.string(),
  })
  .meta({ id: 'TaskView' });
export type TaskView = z.infer<typeof TaskView>;
export const TaskList = z.object({ tasks: z.array(TaskView) }).meta({ id: 'TaskList' });
export type TaskList = z.infer<typeof TaskList>;
export const TasksQuery = z.strictObject({
  service: Ref.optional(),
  node: Ref.optional(),
  desiredState: z.enum(['running', 'shutdown', 'accepted']).optional(),
});

export const ServiceLogsQuery = z.strictObject({
  tail: z
    .union([z.literal('all'), z.coerce.number().int().min(0).max(100_000)])
    .default(200)
    .describe('Lines from the end of each task, or "all"'),
  since: LogTime.optional(),
  timestamps: Bool.default(false),
  task: Ref.optional().describe("One task's lines only (default: every task, merged)"),
});
export type ServiceLogsQuery = z.infer<typeof ServiceLogsQuery>;

export const ServiceLogLine = LogLineView.extend({
  task: z.string().nullable(),
  node: z.string().nullable(),
});
export type ServiceLogLine = z.infer<typeof ServiceLogLine>;
export const ServiceLogsPage = z
  .object({ lines: z.array(ServiceLogLine), cli: z.string() })
  .meta({ id: 'ServiceLogsPage' });
export const ServiceLogsMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lines'), lines: z.array(ServiceLogLine).min(1) }),
  z.object({ type: z.literal('dropped'), count: z.number().int() }),
  z.object({ type: z.literal('end'), reason: z.string() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServiceLogsMessage = z.infer<typeof ServiceLogsMessage>;

export const ServiceRemoved = z.object({ ok: z.literal(true), cli: z.string() });
