import { z } from 'zod';

/**
 * The canonical compose project: what `load → interpolate → merge → validate → normalize` gives,
 * what `GET …/stacks/:name/config` answers, and what `plan` and `apply` read. It follows the shape
 * of `docker compose config --format json`: long syntax everywhere, paths absolute, `env_file`s
 * folded into `environment`, profiles applied, `extends` and `include` resolved, durations as Go
 * duration strings ("1m30s"), sizes in bytes.
 */

const StringMap = z.record(z.string(), z.string());
/** A Go duration as compose writes it: "10s", "1m30s", "500ms". */
export const ComposeDuration = z
  .string()
  .regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, 'a duration like 10s or 1m30s');

export const ComposePort = z.object({
  target: z.number().int().min(1).max(65535),
  /** A port or a range ("8080", "8080-8081"); omitted to let the engine choose. */
  published: z.string().optional(),
  host_ip: z.string().optional(),
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
  mode: z.enum(['ingress', 'host']).optional(),
  name: z.string().optional(),
});
export type ComposePort = z.infer<typeof ComposePort>;

export const ComposeServiceVolume = z.object({
  type: z.enum(['bind', 'volume', 'tmpfs']),
  /** Absolute host path (bind), the project's volume key (volume), absent for anonymous and tmpfs. */
  source: z.string().optional(),
  target: z.string(),
  read_only: z.boolean().optional(),
  bind: z
    .object({
      create_host_path: z.boolean().optional(),
      propagation: z.string().optional(),
    })
    .optional(),
  volume: z.object({ nocopy: z.boolean().optional(), subpath: z.string().optional() }).optional(),
  tmpfs: z
    .object({ size: z.number().int().optional(), mode: z.number().int().optional() })
    .optional(),
});
export type ComposeServiceVolume = z.infer<typeof ComposeServiceVolume>;

export const ComposeServiceNetwork = z
  .object({
    aliases: z.array(z.string()).optional(),
    ipv4_address: z.string().optional(),
    ipv6_address: z.string().optional(),
    priority: z.number().optional(),
  })
  .nullable();

export const ComposeDependency = z.object({
  condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']),
  /** Restart this service when the dependency is recreated or restarted. */
  restart: z.boolean().optional(),
  /** false: a missing or disabled dependency is skipped, not an error. */
  required: z.boolean().default(true),
});

export const ComposeHealthcheck = z.object({
  test: z.array(z.string()).optional(),
  interval: ComposeDuration.optional(),
  timeout: ComposeDuration.optional(),
  retries: z.number().int().optional(),
  start_period: ComposeDuration.optional(),
  start_interval: ComposeDuration.optional(),
  disable: z.boolean().optional(),
});

const ResourceSet = z.object({
  /** Fraction of CPUs as compose writes it ("0.5"). */
  cpus: z.string().optional(),
  memory: z.number().int().optional(),
  pids: z.number().int().optional(),
});

const SwarmUpdateConfig = z.object({
  parallelism: z.number().int().min(0).optional(),
  delay: ComposeDuration.optional(),
  failure_action: z.enum(['continue', 'rollback', 'pause']).optional(),
  monitor: ComposeDuration.optional(),
  max_failure_ratio: z.number().min(0).max(1).optional(),
  order: z.enum(['stop-first', 'start-first']).optional(),
});

/** `deploy` keys a swarm stack honours (the container runtime refuses them). */
const SwarmDeploy = z.object({
  mode: z.enum(['replicated', 'global']).optional(),
  replicas: z.number().int().min(0).optional(),
  /** Labels of the service (the containers' are `labels`). */
  labels: StringMap.optional(),
  endpoint_mode: z.enum(['vip', 'dnsrr']).optional(),
  placement: z
    .object({
      constraints: z.array(z.string()).optional(),
      preferences: z.array(z.object({ spread: z.string() })).optional(),
      max_replicas_per_node: z.number().int().min(0).optional(),
    })
    .optional(),
  update_config: SwarmUpdateConfig.optional(),
  rollback_config: SwarmUpdateConfig.optional(),
  restart_policy: z
    .object({
      condition: z.enum(['none', 'on-failure', 'any']).optional(),
      delay: ComposeDuration.optional(),
      max_attempts: z.number().int().min(0).optional(),
      window: ComposeDuration.optional(),
    })
    .optional(),
});

export const ComposeFileReference = z.object({
  source: z.string(),
  target: z.string().optional(),
  uid: z.string().optional(),
  gid: z.string().optional(),
  mode: z.number().int().optional(),
});

export const ComposeService = z.object({
  image: z.string().optional(),
  build: z
    .object({
      /** Absolute path of the build context. */
      context: z.string(),
      dockerfile: z.string().optional(),
      args: z.record(z.string(), z.string().nullable()).optional(),
      target: z.string().optional(),
      labels: StringMap.optional(),
    })
    .optional(),
  pull_policy: z.enum(['always', 'never', 'missing', 'build', 'if_not_present']).optional(),
  container_name: z.string().optional(),
  command: z.array(z.string()).nullable().optional(),
  entrypoint: z.array(z.string()).nullable().optional(),
  /** Variables from `environment` and every `env_file`, in compose's order; null: unset. */
  environment: z.record(z.string(), z.string().nullable()).default({}),
  labels: StringMap.default({}),
  ports: z.array(ComposePort).default([]),
  expose: z.array(z.string()).optional(),
  volumes: z.array(ComposeServiceVolume).default([]),
  tmpfs: z.array(z.string()).optional(),
  /** Network keys of the project; absent with `network_mode`. */
  networks: z.record(z.string(), ComposeServiceNetwork).optional(),
  network_mode: z.string().optional(),
  depends_on: z.record(z.string(), ComposeDependency).default({}),
  healthcheck: ComposeHealthcheck.optional(),
  restart: z.string().optional(),
  /** Replicas: `scale`, or `deploy.replicas`, 1 when neither. */
  scale: z.number().int().min(0).default(1),
  deploy: z
    .object({
      resources: z
        .object({ limits: ResourceSet.optional(), reservations: ResourceSet.optional() })
        .optional(),
      /** The rest of `deploy` is carried only when loading for a swarm stack. */
      ...SwarmDeploy.shape,
    })
    .optional(),
  ulimits: z
    .record(z.string(), z.object({ soft: z.number().int(), hard: z.number().int() }))
    .optional(),
  sysctls: StringMap.optional(),
  cap_add: z.array(z.string()).optional(),
  cap_drop: z.array(z.string()).optional(),
  devices: z
    .array(z.object({ source: z.string(), target: z.string(), permissions: z.string().optional() }))
    .optional(),
  extra_hosts: z.array(z.string()).optional().describe('"name:address" each'),
  dns: z.array(z.string()).optional(),
  dns_search: z.array(z.string()).optional(),
  dns_opt: z.array(z.string()).optional(),
  hostname: z.string().optional(),
  domainname: z.string().optional(),
  user: z.string().optional(),
  group_add: z.array(z.string()).optional(),
  working_dir: z.string().optional(),
  init: z.boolean().optional(),
  read_only: z.boolean().optional(),
  privileged: z.boolean().optional(),
  shm_size: z.number().int().optional(),
  stdin_open: z.boolean().optional(),
  tty: z.boolean().optional(),
  logging: z.object({ driver: z.string().optional(), options: StringMap.optional() }).optional(),
  pid: z.string().optional(),
  ipc: z.string().optional(),
  security_opt: z.array(z.string()).optional(),
  stop_signal: z.string().optional(),
  stop_grace_period: ComposeDuration.optional(),
  secrets: z.array(ComposeFileReference).optional(),
  configs: z.array(ComposeFileReference).optional(),
  profiles: z.array(z.string()).optional(),
});
export type ComposeService = z.infer<typeof ComposeService>;

export const ComposeNetwork = z.object({
  /** The engine's name: `<project>_<key>` unless `name` or `external` says otherwise. */
  name: z.string(),
  driver: z.string().optional(),
  driver_opts: StringMap.optional(),
  ipam: z
    .object({
      driver: z.string().optional(),
      config: z
        .array(
          z.object({
            subnet: z.string().optional(),
            gateway: z.string().optional(),
            ip_range: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  external: z.boolean().optional(),
  internal: z.boolean().optional(),
  attachable: z.boolean().optional(),
  enable_ipv6: z.boolean().optional(),
  labels: StringMap.optional(),
});

export const ComposeVolume = z.object({
  name: z.string(),
  driver: z.string().optional(),
  driver_opts: StringMap.optional(),
  external: z.boolean().optional(),
  labels: StringMap.optional(),
});

/** A secret or config of the project: from a file (absolute path), an environment variable or inline content. */
export const ComposeFileObject = z.object({
  name: z.string(),
  file: z.string().optional(),
  environment: z.string().optional(),
  /** Inline content; for `environment`, the variable's value as loaded (`config` leaves it out). */
  content: z.string().optional(),
  external: z.boolean().optional(),
});

export const ComposeProject = z
  .object({
    name: z.string(),
    /** The stack folder: relative paths were resolved against it. */
    working_dir: z.string(),
    /** The files read, in order, absolute (`com.docker.compose.project.config_files`). */
    config_files: z.array(z.string()),
    services: z.record(z.string(), ComposeService),
    networks: z.record(z.string(), ComposeNetwork).default({}),
    volumes: z.record(z.string(), ComposeVolume).default({}),
    secrets: z.record(z.string(), ComposeFileObject).default({}),
    configs: z.record(z.string(), ComposeFileObject).default({}),
    /** Services left out by the active profiles. */
    disabled_services: z.array(z.string()).default([]),
  })
  .meta({ id: 'ComposeProject' });
export type ComposeProject = z.infer<typeof ComposeProject>;

/** A problem in a stack's files: where it is and what is wrong. */
export const ComposeIssue = z.object({
  file: z.string().describe('Relative to the stack folder'),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  path: z.string().describe('Where in the document, like services.web.ports[1]'),
  message: z.string(),
});
export type ComposeIssue = z.infer<typeof ComposeIssue>;

/** What `up` does to one container of a service. */
export const PlannedContainer = z.object({
  name: z.string(),
  /** The existing container's id (absent for create). */
  id: z.string().optional(),
  action: z.enum(['create', 'recreate', 'start', 'unchanged', 'remove']),
  /** Why a recreate: the fields that differ, like `environment.FOO`, `image`, `ports`. */
  changes: z.array(z.string()).default([]),
});

export const PlannedService = z.object({
  service: z.string(),
  /** The service's overall action: the strongest of its containers'. */
  action: z.enum(['create', 'recreate', 'start', 'unchanged', 'remove']),
  changes: z.array(z.string()).default([]),
  containers: z.array(PlannedContainer),
  /** The image will be pulled (missing, or pull_policy always) or built. */
  image: z.enum(['present', 'pull', 'build']),
});
export type PlannedService = z.infer<typeof PlannedService>;

export const PlannedResource = z.object({
  /** `port`: a host port the plan cannot bind (always a conflict, named `[ip:]port/protocol`). */
  kind: z.enum(['network', 'volume', 'secret', 'config', 'port']),
  name: z.string(),
  /**
   * `recreate`: a network of the stack whose definition changed (its containers are recreated
   * with it); a volume whose definition changed is a `conflict` (volumes hold data).
   */
  action: z.enum(['create', 'recreate', 'unchanged', 'external', 'conflict']),
  /** The definition's fields that differ from the network or volume on the engine. */
  changes: z.array(z.string()).optional(),
  message: z.string().optional(),
});

export const StackPlan = z
  .object({
    planId: z.string(),
    host: z.string(),
    stack: z.string(),
    createdAt: z.string(),
    resources: z.array(PlannedResource),
    /** In dependency order; orphans (services no longer in the files) last, with `remove`. */
    services: z.array(PlannedService),
    /** True when applying changes nothing. */
    unchanged: z.boolean(),
  })
  .meta({ id: 'StackPlan' });
export type StackPlan = z.infer<typeof StackPlan>;
