import { z } from 'zod';
import { ComposeIssue, ComposeProject, StackPlan } from './compose.js';
import { LogTime } from './container-io.js';
import { HostParams } from './hosts.js';

/** A compose project name, as the compose CLI accepts it. */
export const StackName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_-]{0,62}$/,
    'lower-case letters, digits, "-" and "_", starting with a letter or digit',
  );
export const StackParams = HostParams.extend({ name: StackName });
export type StackParams = z.infer<typeof StackParams>;

/** A file of a stack, relative to its folder: no absolute path, no `..`, no empty part. */
export const StackFilePath = z
  .string()
  .min(1)
  .max(255)
  .refine(
    (p) =>
      !p.startsWith('/') &&
      !p.includes('\\') &&
      p.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    'a path inside the stack folder, like compose.yaml or config/app.ini',
  );
/** Files by path, as text (1 MiB each at most). */
export const StackFiles = z.record(StackFilePath, z.string().max(1024 * 1024, 'at most 1 MiB'));
export type StackFiles = z.infer<typeof StackFiles>;

export const StackCreate = z.strictObject({
  name: StackName,
  files: StackFiles.describe(
    'Must hold a compose file: compose.yaml, compose.yml, docker-compose.yml or docker-compose.yaml',
  ),
});
export type StackCreate = z.infer<typeof StackCreate>;

export const StackUpdate = z.strictObject({
  files: StackFiles.default({}).describe('Files written (created or replaced); others are kept'),
  remove: z.array(StackFilePath).max(256).default([]).describe('Files deleted'),
  message: z.string().max(500).optional().describe('What changed, kept in the history'),
});
export type StackUpdate = z.infer<typeof StackUpdate>;

export const StackValidate = z.strictObject({
  name: StackName,
  files: StackFiles.describe(
    'The files as the editor has them; missing ones are read from the stack folder when it exists',
  ),
});

export const StackValidation = z.object({
  ok: z.boolean(),
  issues: z.array(ComposeIssue),
  /** The services the files define, when they load. */
  services: z.array(z.string()),
  /**
   * The normalized project the files make, secrets masked as in `config`, when they load:
   * `docker compose config` of files not yet written.
   */
  project: ComposeProject.optional(),
});
export type StackValidation = z.infer<typeof StackValidation>;

export const ContainerOfStack = z.object({
  id: z.string(),
  name: z.string(),
  number: z.number().int().nullable(),
  state: z.string().describe('created, running, paused, restarting, exited, dead'),
  status: z.string().describe("The engine's status text, like Up 5 minutes"),
  health: z.enum(['starting', 'healthy', 'unhealthy']).nullable(),
  exitCode: z.number().int().nullable(),
  image: z.string(),
});

export const StackServiceState = z.object({
  name: z.string(),
  /**
   * running: all its containers run; completed: a one-shot that exited 0; partial: some run;
   * stopped: none run and none failed; failed: one exited non-zero, died or is unhealthy; missing:
   * in the files but no container yet.
   */
  state: z.enum(['running', 'partial', 'stopped', 'completed', 'failed', 'missing', 'restarting']),
  running: z.number().int(),
  total: z.number().int(),
  image: z
    .string()
    .nullable()
    .describe("Its containers' image; before any exists, the one the files name"),
  containers: z.array(ContainerOfStack),
});
export type StackServiceState = z.infer<typeof StackServiceState>;

export const StackState = z.enum(['running', 'partial', 'stopped', 'failed', 'empty']);

export const StackSummary = z
  .object({
    name: z.string(),
    host: z.string(),
    /** berth: its folder is under Berth's data; adopted: Berth reads the compose CLI's files in place; external: made by the compose CLI, files not readable (read-only). */
    source: z.enum(['berth', 'adopted', 'external']),
    /** An external stack whose compose files are readable on Berth's machine. */
    adoptable: z.boolean(),
    state: StackState,
    /** Why failed or partial, in a sentence naming the services. */
    message: z.string().nullable(),
    services: z.array(StackServiceState),
    workingDir: z.string().nullable(),
    configFiles: z.array(z.string()),
    updatedAt: z.string().nullable().describe('Last change to the files'),
    lastDeploy: z.object({ at: z.string(), by: z.string().nullable(), ok: z.boolean() }).nullable(),
  })
  .meta({ id: 'StackSummary' });
export type StackSummary = z.infer<typeof StackSummary>;

export const StackList = z.object({ stacks: z.array(StackSummary) });

export const StackDetail = StackSummary.extend({
  /** The stack's files, relative to its folder. */
  files: z.array(z.object({ path: z.string(), size: z.number().int() })),
  /** Problems loading the files (empty when they load). */
  issues: z.array(ComposeIssue),
}).meta({ id: 'StackDetail' });
export type StackDetail = z.infer<typeof StackDetail>;

const PlanOptions = z.strictObject({
  profiles: z.array(z.string().min(1).max(64)).max(32).optional(),
  removeOrphans: z
    .boolean()
    .default(true)
    .describe('Plan to remove containers of services no longer in the files'),
});

export const StackPlanRequest = PlanOptions.extend({
  files: StackFiles.optional().describe(
    "Plan these files as if written over the stack's (a preview: nothing is written, and the plan cannot be applied until they are); the stack need not exist yet",
  ),
});

export const StackUpRequest = PlanOptions.extend({
  planId: z
    .string()
    .optional()
    .describe(
      'Apply exactly this plan (refused with 409 if the files or the engine changed since); without it a fresh plan is made and applied',
    ),
});

export const StackServiceOutcome = z.object({
  service: z.string(),
  status: z.enum(['done', 'unchanged', 'completed', 'failed', 'skipped']),
  message: z.string().optional(),
});

export const StackOperationResult = z.object({
  ok: z.boolean(),
  services: z.array(StackServiceOutcome),
  plan: StackPlan.optional(),
  cli: z.string().describe('The equivalent compose command'),
});
export type StackOperationResult = z.infer<typeof StackOperationResult>;

export const StackServicesRequest = z.strictObject({
  services: z
    .array(z.string().min(1))
    .max(256)
    .optional()
    .describe('Only these services; all when absent'),
});

export const StackDownRequest = z.strictObject({
  removeVolumes: z
    .boolean()
    .default(false)
    .describe("Also remove the stack's named volumes (their data)"),
});

export const StackRemoveQuery = z.strictObject({
  down: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false)
    .describe('Take the stack down first; without it a stack with containers is refused (409)'),
  volumes: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false)
    .describe("Also remove the stack's named volumes (their data), as `down --volumes` does"),
});

export const StackLogsQuery = z.strictObject({
  tail: z
    .union([z.literal('all'), z.coerce.number().int().min(0).max(100_000)])
    .default(100)
    .describe('Lines from the end of each container, or "all"'),
  since: LogTime.optional(),
  until: LogTime.optional(),
  services: z.string().max(2000).optional().describe('Comma-separated services; all when absent'),
});
export type StackLogsQuery = z.infer<typeof StackLogsQuery>;

export const StackLogLine = z.object({
  service: z.string(),
  container: z.string(),
  stream: z.enum(['stdout', 'stderr']),
  text: z.string(),
  timestamp: z.string().nullable(),
});
export type StackLogLine = z.infer<typeof StackLogLine>;
export const StackLogsPage = z.object({
  lines: z.array(StackLogLine).describe('Merged across containers, by timestamp'),
  cli: z.string(),
});
export type StackLogsPage = z.infer<typeof StackLogsPage>;

export const StackLogsMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lines'), lines: z.array(StackLogLine).min(1) }),
  z.object({ type: z.literal('dropped'), count: z.number().int() }),
  z.object({ type: z.literal('end'), reason: z.string() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type StackLogsMessage = z.infer<typeof StackLogsMessage>;

export const StackFileParams = StackParams.extend({ '*': StackFilePath });
export const StackFileContent = z.object({ path: z.string(), content: z.string() });
export type StackFileContent = z.infer<typeof StackFileContent>;
export const StackFileWrite = z.strictObject({
  content: z.string().max(1024 * 1024, 'at most 1 MiB'),
});

export const StackVersion = z.object({
  id: z.number().int(),
  at: z.string(),
  by: z.string().nullable(),
  message: z.string().nullable(),
  files: z.array(z.string()),
});
export const StackHistory = z.object({ versions: z.array(StackVersion).describe('Newest first') });
export type StackHistory = z.infer<typeof StackHistory>;
export const StackVersionParams = StackParams.extend({ version: z.coerce.number().int().min(1) });
export const StackVersionFiles = z.object({ id: z.number().int(), files: StackFiles });
export type StackVersionFiles = z.infer<typeof StackVersionFiles>;

/** A name compose interpolates: `${NAME}`. */
export const StackVariableName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'letters, digits and "_", not starting with a digit');
/** One of Berth's global variables of a host; a secret one's value is null to non-admins. */
export const StackVariable = z.object({
  name: StackVariableName,
  value: z.string().nullable(),
  secret: z.boolean(),
});
export type StackVariable = z.infer<typeof StackVariable>;
export const StackVariables = z.object({ variables: z.array(StackVariable) });
export type StackVariables = z.infer<typeof StackVariables>;
/** The whole set of the host's variables, replacing the one before. */
export const StackVariablesUpdate = z.strictObject({
  variables: z
    .array(
      z.strictObject({
        name: StackVariableName,
        value: z.string().max(64 * 1024, 'at most 64 KiB'),
        secret: z.boolean().default(false),
      }),
    )
    .max(500, 'at most 500 variables')
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((v, i) => {
        if (seen.has(v.name))
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `${v.name} is there twice` });
        seen.add(v.name);
      });
    }),
});
export type StackVariablesUpdate = z.infer<typeof StackVariablesUpdate>;
