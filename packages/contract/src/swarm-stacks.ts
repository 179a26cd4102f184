import { z } from 'zod';
import { HostParams } from './hosts.js';
import { StackFiles, StackName } from './stacks.js';

/**
 * Swarm stacks: compose projects deployed to a swarm as `docker stack deploy` does — services,
 * networks, secrets and configs named `<namespace>_<key>` and labelled
 * `com.docker.stack.namespace=<namespace>`, so `docker stack ls/ps/rm` see them.
 */
export const SwarmStackParams = HostParams.extend({ name: StackName });
export type SwarmStackParams = z.infer<typeof SwarmStackParams>;

export const SwarmStackSummary = z.object({
  name: z.string(),
  services: z.number().int(),
  tasksRunning: z.number().int(),
  tasksDesired: z.number().int(),
  /** The newest service change of the namespace. */
  updatedAt: z.string().nullable(),
});
export type SwarmStackSummary = z.infer<typeof SwarmStackSummary>;

export const SwarmStackList = z.object({
  /** Whether the host manages a swarm (only a manager lists, deploys and removes stacks). */
  manager: z.boolean(),
  /** `/info` Swarm.LocalNodeState: inactive, pending, active, error, locked. */
  nodeState: z.string(),
  stacks: z.array(SwarmStackSummary),
});
export type SwarmStackList = z.infer<typeof SwarmStackList>;

export const SwarmStackService = z.object({
  id: z.string(),
  /** `<namespace>_<service>` */
  name: z.string(),
  /** The compose service's key. */
  service: z.string(),
  image: z.string(),
  mode: z.enum(['replicated', 'global']),
  /** Desired replicas (replicated), or the tasks the engine wants (global). */
  replicas: z.number().int(),
  running: z.number().int(),
  /** The rolling update's state (`UpdateStatus.State`), null when none has run. */
  updateState: z.string().nullable(),
  updateMessage: z.string().nullable(),
  ports: z.array(z.string()).describe('published:target/protocol (mode)'),
  updatedAt: z.string(),
});
export type SwarmStackService = z.infer<typeof SwarmStackService>;

const NamedObject = z.object({ id: z.string(), name: z.string() });

export const SwarmStackDetail = z.object({
  name: z.string(),
  services: z.array(SwarmStackService),
  networks: z.array(NamedObject.extend({ driver: z.string(), scope: z.string() })),
  secrets: z.array(NamedObject),
  configs: z.array(NamedObject),
});
export type SwarmStackDetail = z.infer<typeof SwarmStackDetail>;

export const SwarmStackSource = z
  .strictObject({
    /** A Berth stack of the same host: its files, loaded and interpolated as the stacks module does. */
    stack: StackName.optional(),
    /** Files inline (relative paths), over the stack's when both are given. */
    files: StackFiles.optional(),
  })
  .refine((s) => s.stack !== undefined || s.files !== undefined, {
    message: 'name a Berth stack (stack) or give the files (files)',
    path: ['stack'],
  });
export type SwarmStackSource = z.infer<typeof SwarmStackSource>;

export const SwarmStackPlanRequest = z.strictObject({
  source: SwarmStackSource,
  /** Remove the namespace's services, networks, secrets and configs no longer in the files (`--prune`). */
  prune: z.boolean().default(false),
});
export type SwarmStackPlanRequest = z.infer<typeof SwarmStackPlanRequest>;

export const SwarmStackDeployRequest = SwarmStackPlanRequest.extend({
  /** Apply this plan (refused when the files or the services moved since); absent: a fresh plan. */
  planId: z.string().optional(),
});
export type SwarmStackDeployRequest = z.infer<typeof SwarmStackDeployRequest>;

export const SwarmObjectKind = z.enum(['network', 'secret', 'config', 'service']);
export type SwarmObjectKind = z.infer<typeof SwarmObjectKind>;

/** One field of a spec that differs: values as JSON text (environment values left out). */
export const SwarmSpecChange = z.object({
  field: z.string().describe('Like TaskTemplate.ContainerSpec.Env.FOO or Mode.Replicated.Replicas'),
  before: z.string().nullable(),
  after: z.string().nullable(),
});
export type SwarmSpecChange = z.infer<typeof SwarmSpecChange>;

export const PlannedSwarmObject = z.object({
  kind: SwarmObjectKind,
  /** The engine's name, `<namespace>_<key>` unless the files name it. */
  name: z.string(),
  /** The compose key. */
  key: z.string().nullable(),
  action: z.enum(['create', 'update', 'unchanged', 'remove', 'external', 'conflict']),
  changes: z.array(SwarmSpecChange).default([]),
  message: z.string().optional(),
});
export type PlannedSwarmObject = z.infer<typeof PlannedSwarmObject>;

/** A compose feature a swarm stack does not honour, named rather than silently dropped. */
export const SwarmUnsupported = z.object({
  service: z.string().nullable(),
  field: z.string(),
  message: z.string(),
});
export type SwarmUnsupported = z.infer<typeof SwarmUnsupported>;

export const SwarmStackPlan = z
  .object({
    planId: z.string(),
    host: z.string(),
    namespace: z.string(),
    createdAt: z.string(),
    /** Networks, secrets and configs first, then services; removals last. */
    objects: z.array(PlannedSwarmObject),
    unsupported: z.array(SwarmUnsupported),
    unchanged: z.boolean(),
    /** The equivalent `docker stack deploy -c … <namespace>`. */
    cli: z.string(),
  })
  .meta({ id: 'SwarmStackPlan' });
export type SwarmStackPlan = z.infer<typeof SwarmStackPlan>;

export const SwarmObjectResult = z.object({
  kind: SwarmObjectKind,
  name: z.string(),
  action: PlannedSwarmObject.shape.action,
  status: z.enum(['done', 'failed', 'skipped']),
  id: z.string().optional(),
  message: z.string().optional(),
});
export type SwarmObjectResult = z.infer<typeof SwarmObjectResult>;

export const SwarmStackDeployResult = z.object({
  ok: z.boolean(),
  plan: SwarmStackPlan,
  results: z.array(SwarmObjectResult),
  cli: z.string(),
});
export type SwarmStackDeployResult = z.infer<typeof SwarmStackDeployResult>;

export const SwarmStackRemoveResult = z.object({
  ok: z.boolean(),
  results: z.array(SwarmObjectResult),
  cli: z.string(),
});
export type SwarmStackRemoveResult = z.infer<typeof SwarmStackRemoveResult>;
