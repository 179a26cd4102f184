import {
  parseGoDuration,
  type ServiceCreate,
  type ServiceUpdate,
  type UpdatePolicy,
} from '@berth/contract';
import type {
  RawFileReference,
  RawResources,
  RawServiceSpec,
  RawTaskSpec,
  RawUpdateConfig,
} from '../../docker/swarm-types.js';

/** A secret or config as the spec names it: the engine wants both its id and its name. */
export interface ResolvedFile {
  id: string;
  name: string;
}
export type FileLookup = (name: string) => ResolvedFile;
type FileRefs = NonNullable<ServiceCreate['secrets']>;

const ns = (d: string | undefined): number | undefined =>
  d === undefined ? undefined : (parseGoDuration(d) ?? undefined);

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function updatePolicy(p: UpdatePolicy | undefined): RawUpdateConfig | undefined {
  if (!p) return undefined;
  return defined({
    Parallelism: p.parallelism,
    Delay: ns(p.delay),
    FailureAction: p.failureAction,
    Monitor: ns(p.monitor),
    MaxFailureRatio: p.maxFailureRatio,
    Order: p.order,
  });
}

function resources(
  r: { cpus?: number | undefined; memoryBytes?: number | undefined } | undefined,
): RawResources | undefined {
  if (!r) return undefined;
  return defined({
    NanoCPUs: r.cpus === undefined ? undefined : Math.round(r.cpus * 1e9),
    MemoryBytes: r.memoryBytes,
  });
}

export function fileRefs(
  refs: FileRefs | undefined,
  lookup: FileLookup,
  kind: 'Secret' | 'Config',
): RawFileReference[] | undefined {
  return refs?.map((ref) => {
    const found = lookup(ref.name);
    return {
      File: { Name: ref.target ?? found.name, UID: ref.uid, GID: ref.gid, Mode: ref.mode },
      [`${kind}ID`]: found.id,
      [`${kind}Name`]: found.name,
    };
  });
}

const envList = (env: Record<string, string> | undefined): string[] | undefined =>
  env && Object.entries(env).map(([k, v]) => `${k}=${v}`);

function taskSpec(input: ServiceCreate, secrets: FileLookup, configs: FileLookup): RawTaskSpec {
  const health = input.healthcheck;
  const restart = input.restartPolicy;
  return defined({
    ContainerSpec: defined({
      Image: input.image,
      Command: input.command,
      Args: input.args,
      Env: envList(input.env),
      Dir: input.workdir,
      User: input.user,
      Labels: input.containerLabels,
      StopGracePeriod: ns(input.stopGracePeriod),
      Mounts: input.mounts?.map((m) =>
        defined({ Type: m.type, Source: m.source, Target: m.target, ReadOnly: m.readOnly }),
      ),
      Healthcheck: health && {
        Test: health.test,
        ...defined({
          Interval: ns(health.interval),
          Timeout: ns(health.timeout),
          Retries: health.retries,
          StartPeriod: ns(health.startPeriod),
        }),
      },
      Secrets: fileRefs(input.secrets, secrets, 'Secret'),
      Configs: fileRefs(input.configs, configs, 'Config'),
    }),
    Resources: input.resources && {
      ...defined({
        Limits: resources(input.resources.limits),
        Reservations: resources(input.resources.reservations),
      }),
    },
    RestartPolicy: restart && {
      ...defined({
        Condition: restart.condition,
        Delay: ns(restart.delay),
        MaxAttempts: restart.maxAttempts,
        Window: ns(restart.window),
      }),
    },
    Placement:
      input.constraints || input.preferences
        ? defined({
            Constraints: input.constraints,
            Preferences: input.preferences?.map((p) => ({ Spread: { SpreadDescriptor: p } })),
          })
        : undefined,
    Networks: input.networks?.map((n) => ({ Target: n })),
  });
}

/** The engine's spec for a new service. */
export function specFromCreate(
  input: ServiceCreate,
  secrets: FileLookup,
  configs: FileLookup,
): RawServiceSpec {
  return defined({
    Name: input.name,
    Labels: input.labels,
    TaskTemplate: taskSpec(input, secrets, configs),
    Mode:
      input.mode === 'global' ? { Global: {} } : { Replicated: { Replicas: input.replicas ?? 1 } },
    UpdateConfig: updatePolicy(input.updateConfig),
    RollbackConfig: updatePolicy(input.rollbackConfig),
    EndpointSpec: input.ports && {
      Ports: input.ports.map((p) =>
        defined({
          TargetPort: p.target,
          PublishedPort: p.published,
          Protocol: p.protocol,
          PublishMode: p.mode,
        }),
      ),
    },
  });
}

/** The current spec with the change applied (what is not named stays as it is). */
export function specWithUpdate(
  current: RawServiceSpec,
  input: ServiceUpdate,
  secrets: FileLookup,
  configs: FileLookup,
): RawServiceSpec {
  const spec = structuredClone(current);
  const container = spec.TaskTemplate.ContainerSpec;
  if (input.image !== undefined) container.Image = input.image;
  if (input.env !== undefined) container.Env = envList(input.env) ?? [];
  if (input.command !== undefined) container.Command = input.command;
  if (input.args !== undefined) container.Args = input.args;
  if (input.secrets !== undefined) container.Secrets = fileRefs(input.secrets, secrets, 'Secret');
  if (input.configs !== undefined) container.Configs = fileRefs(input.configs, configs, 'Config');
  if (input.labels !== undefined) spec.Labels = input.labels;
  if (input.constraints !== undefined)
    spec.TaskTemplate.Placement = {
      ...spec.TaskTemplate.Placement,
      Constraints: input.constraints,
    };
  if (input.replicas !== undefined) spec.Mode = { Replicated: { Replicas: input.replicas } };
  if (input.updateConfig !== undefined)
    spec.UpdateConfig = { ...spec.UpdateConfig, ...updatePolicy(input.updateConfig) };
  if (input.rollbackConfig !== undefined)
    spec.RollbackConfig = { ...spec.RollbackConfig, ...updatePolicy(input.rollbackConfig) };
  if (input.force) spec.TaskTemplate.ForceUpdate = (spec.TaskTemplate.ForceUpdate ?? 0) + 1;
  return spec;
}
