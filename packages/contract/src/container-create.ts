import { z } from 'zod';
import { imageReferenceProblem } from './image-reference.js';
import { Labels } from './labels.js';
import { SIZE_MESSAGE } from './sizes.js';

/** A byte count; a form sends NaN (null in JSON) for text that is not a size. */
const SizeBytes = z.number({ error: SIZE_MESSAGE }).int(SIZE_MESSAGE);

const PORT = 'a port number from 1 to 65535';
const PortNumber = z.number({ error: PORT }).int(PORT).min(1, PORT).max(65535, PORT);
const ContainerName = z
  .string()
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/,
    'letters, digits and _ . - only, starting with a letter or digit',
  );
const AbsolutePath = z
  .string()
  .min(1, 'an absolute path, like /data')
  .max(4096)
  .refine((p) => p.startsWith('/') && !p.includes('\0'), 'must be an absolute path');
/** A namespace mode that shares the host's or another container's namespace. */
const SHARED_MODE = /^(host|container:[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127})$/;
const EnvName = z.string().regex(/^[^=\0]+$/, 'an environment variable name, without "="');

export const EnvironmentTag = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lowercase letters, digits, _ and -, at most 32')
  .describe('dev, test, staging, prod, or your own');
export type EnvironmentTag = z.infer<typeof EnvironmentTag>;

export const PortSpec = z.strictObject({
  containerPort: PortNumber,
  hostPort: PortNumber.optional().describe('Omit to let the engine choose'),
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  hostIp: z.union([z.ipv4(), z.ipv6()]).optional(),
});
export type PortSpec = z.infer<typeof PortSpec>;

export const MountSpec = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('bind'),
    source: AbsolutePath,
    target: AbsolutePath,
    readOnly: z.boolean().default(false),
    createHostPath: z
      .boolean()
      .optional()
      .describe("Create the source folder on the engine's host when missing (compose's default)"),
  }),
  z.strictObject({
    type: z.literal('volume'),
    source: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a volume name')
      .optional(),
    target: AbsolutePath,
    readOnly: z.boolean().default(false),
  }),
  z.strictObject({
    type: z.literal('tmpfs'),
    target: AbsolutePath,
    sizeBytes: SizeBytes.positive('a size above 0, such as 64m').optional(),
    mode: z.number().int().min(0).max(0o7777).optional().describe('File mode, like 0o1777'),
  }),
]);
export type MountSpec = z.infer<typeof MountSpec>;

export const NetworkAttachment = z.strictObject({
  name: z.string().min(1, 'choose a network').max(128),
  ipv4Address: z.ipv4().optional(),
  ipv6Address: z.ipv6().optional(),
  reservation: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Take the address reserved in this network for this purpose'),
  aliases: z.array(z.string().min(1).max(128)).max(32).optional(),
});

export const RestartPolicy = z.strictObject({
  name: z.enum(['no', 'always', 'unless-stopped', 'on-failure']),
  maximumRetryCount: z.number().int().min(0).max(1000).optional(),
});

export const Resources = z.strictObject({
  memoryBytes: SizeBytes.min(6 * 1024 * 1024, 'at least 6m (6 MiB)').optional(),
  cpus: z.number().positive().max(1024).optional(),
  pidsLimit: z.number().int().positive().optional(),
  memoryReservationBytes: SizeBytes.positive().optional().describe('--memory-reservation'),
});

export const Healthcheck = z.strictObject({
  test: z
    .array(z.string())
    .min(1)
    .describe('["CMD", "curl", "-f", "http://localhost"] or ["CMD-SHELL", "…"] or ["NONE"]'),
  intervalS: z.number().positive().optional(),
  timeoutS: z.number().positive().optional(),
  retries: z.number().int().min(0).optional(),
  startPeriodS: z.number().min(0).optional(),
});

export const DeviceMapping = z.strictObject({
  hostPath: AbsolutePath,
  containerPath: AbsolutePath.optional(),
  permissions: z
    .string()
    .regex(/^[rwm]{1,3}$/)
    .default('rwm'),
});

/** Everything a container can be created with; also the body of an edit (which recreates). */
export const ContainerSpec = z
  .strictObject({
    name: ContainerName.optional(),
    image: z
      .string()
      .min(1, 'the image to run, like nginx:1.27')
      .max(512)
      .superRefine((ref, ctx) => {
        const problem = ref === '' ? null : imageReferenceProblem(ref);
        if (problem)
          ctx.addIssue({ code: 'custom', message: `not an image reference: ${problem}` });
      })
      .describe('[registry[:port]/]path[:tag][@digest], as `docker pull` reads it'),
    command: z.array(z.string()).max(256).optional(),
    entrypoint: z.array(z.string()).max(64).optional(),
    env: z.record(EnvName, z.string()).optional(),
    ports: z.array(PortSpec).max(256).optional(),
    mounts: z.array(MountSpec).max(128).optional(),
    networks: z.array(NetworkAttachment).max(16).optional(),
    restartPolicy: RestartPolicy.optional(),
    resources: Resources.optional(),
    healthcheck: Healthcheck.optional(),
    labels: Labels.optional(),
    user: z.string().max(256).optional(),
    workingDir: AbsolutePath.optional(),
    hostname: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}$/, 'a host name')
      .optional(),
    capAdd: z
      .array(z.string().regex(/^[A-Z_]+$/, 'a capability like NET_ADMIN'))
      .max(64)
      .optional(),
    capDrop: z
      .array(z.string().regex(/^[A-Z_]+$/, 'a capability like NET_ADMIN'))
      .max(64)
      .optional(),
    devices: z.array(DeviceMapping).max(64).optional(),
    privileged: z.boolean().optional().describe('Admins only'),
    pidMode: z
      .string()
      .regex(SHARED_MODE, '"host" or "container:<name>"')
      .optional()
      .describe("--pid: the host's or another container's process namespace"),
    ipcMode: z
      .union([z.enum(['none', 'private', 'shareable']), z.string().regex(SHARED_MODE)], {
        error: 'none, private, shareable, host or container:<name>',
      })
      .optional()
      .describe('--ipc'),
    utsMode: z.enum(['host']).optional().describe('--uts'),
    usernsMode: z.enum(['host']).optional().describe('--userns'),
    cgroupnsMode: z.enum(['host', 'private']).optional().describe('--cgroupns'),
    securityOpt: z
      .array(
        z
          .string()
          .min(1)
          .max(4096)
          .regex(/^[^\0]+$/),
      )
      .max(32)
      .optional()
      .describe('--security-opt, e.g. no-new-privileges'),
    sysctls: z
      .record(
        z
          .string()
          .regex(/^[a-zA-Z0-9_][a-zA-Z0-9_./-]*$/, 'a kernel parameter like net.ipv4.ip_forward'),
        z.string().max(1024),
      )
      .optional()
      .describe('--sysctl'),
    stopTimeoutS: z
      .number()
      .int()
      .min(0)
      .max(3600)
      .optional()
      .describe('Seconds between SIGTERM and SIGKILL on stop'),
    logConfig: z
      .strictObject({
        driver: z.string().min(1),
        options: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    environment: EnvironmentTag.optional(),
    expose: z
      .array(z.string().regex(/^\d{1,5}(\/(tcp|udp))?$/, 'a port like 80 or 53/udp'))
      .max(256)
      .optional()
      .describe('--expose: ports open to other containers, not published'),
    ulimits: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[a-z]+$/, 'a limit like nofile'),
          soft: z.number().int(),
          hard: z.number().int(),
        }),
      )
      .max(32)
      .optional()
      .describe('--ulimit'),
    extraHosts: z
      .array(z.string().regex(/^[^\s:]+:[^\s]+$/, 'name:address'))
      .max(256)
      .optional()
      .describe('--add-host'),
    dns: z.array(z.string().min(1).max(64)).max(16).optional(),
    dnsSearch: z.array(z.string().min(1).max(256)).max(16).optional(),
    dnsOptions: z.array(z.string().min(1).max(256)).max(16).optional(),
    init: z.boolean().optional().describe('--init'),
    readOnly: z.boolean().optional().describe('--read-only: the root filesystem'),
    shmSizeBytes: SizeBytes.positive().optional().describe('--shm-size'),
    stopSignal: z
      .string()
      .regex(/^(SIG)?[A-Z0-9+-]+$|^\d+$/, 'a signal like SIGTERM')
      .optional(),
    tty: z.boolean().optional(),
    openStdin: z.boolean().optional(),
    stdinOnce: z
      .boolean()
      .optional()
      .describe(
        'Close the container’s stdin when the first attached client’s input ends (docker run -i, attached)',
      ),
    groupAdd: z.array(z.string().min(1).max(256)).max(32).optional(),
    domainname: z.string().max(255).optional(),
  })
  .meta({ id: 'ContainerSpec' });
export type ContainerSpec = z.infer<typeof ContainerSpec>;

export const ContainerCreate = ContainerSpec.extend({
  autoStart: z.boolean().default(true),
  validateSeconds: z
    .number()
    .int()
    .min(0)
    .max(300)
    .default(10)
    .describe('How long to watch after start; 0 to skip'),
}).meta({ id: 'ContainerCreate' });
export type ContainerCreate = z.infer<typeof ContainerCreate>;

export const StartValidation = z
  .object({
    ok: z.boolean(),
    state: z.string(),
    health: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    oomKilled: z.boolean(),
    logs: z.array(z.string()).describe('Last lines of output when the container failed'),
    message: z.string(),
  })
  .meta({ id: 'StartValidation' });
export type StartValidation = z.infer<typeof StartValidation>;

export const ContainerDetail = z
  .object({
    id: z.string(),
    name: z.string(),
    image: z.string(),
    imageId: z.string(),
    state: z.string(),
    health: z.string().nullable(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    exitCode: z.number().int(),
    oomKilled: z.boolean(),
    restartCount: z.number().int(),
    environment: z.string().nullable(),
    managed: z.boolean(),
    spec: ContainerSpec.describe('The container as Berth would create it again'),
    cli: z.string().describe('A docker run that recreates it'),
    inspect: z.record(z.string(), z.unknown()).describe('The engine inspect, unabridged'),
  })
  .meta({ id: 'ContainerDetail' });
export type ContainerDetail = z.infer<typeof ContainerDetail>;

export const ContainerCreated = z
  .object({
    container: ContainerDetail,
    validation: StartValidation.nullable(),
    warnings: z.array(z.string()),
    cli: z.string(),
  })
  .meta({ id: 'ContainerCreated' });
export type ContainerCreated = z.infer<typeof ContainerCreated>;

export const PortConflict = z.object({
  port: z.number().int(),
  protocol: z.string(),
  hostIp: z.string(),
  container: z.string().describe('The running container that publishes it'),
});
export type PortConflict = z.infer<typeof PortConflict>;

export const ContainerPreview = z
  .object({
    cli: z.string().describe('The docker run this body amounts to'),
    portConflicts: z.array(PortConflict),
    nameTaken: z.boolean(),
  })
  .meta({ id: 'ContainerPreview' });
export type ContainerPreview = z.infer<typeof ContainerPreview>;

export const PreviewQuery = z.strictObject({
  except: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe('The container being edited: its own ports and name are no conflict'),
});

/** Recreate: the fields to change; the rest is kept from the container as it is. */
export const ContainerRecreate = ContainerSpec.partial()
  .extend({
    validateSeconds: z.number().int().min(0).max(300).default(10),
    replace: z
      .boolean()
      .default(false)
      .describe(
        'The body is the whole new spec (an edit form): options left out are cleared, not kept',
      ),
  })
  .refine((body) => !body.replace || body.image !== undefined, {
    message: 'a whole spec needs the image',
    path: ['image'],
  })
  .meta({ id: 'ContainerRecreate' });
export type ContainerRecreate = z.infer<typeof ContainerRecreate>;

export const DuplicateBody = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, 'letters, digits and _ . - only'),
  start: z.boolean().default(false),
});
