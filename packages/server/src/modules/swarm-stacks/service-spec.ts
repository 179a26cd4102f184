import type { ComposeProject, ComposeService } from '@berth/contract';
import type {
  RawContainerSpec,
  RawMount,
  RawPortConfig,
  RawServiceSpec,
  RawTaskSpec,
  RawUpdateConfig,
} from '../../docker/swarm-types.js';
import { parseDuration } from '../stacks/compose/units.js';
import { scoped, STACK_IMAGE, withNamespace } from './swarm-labels.js';

type Deploy = NonNullable<ComposeService['deploy']>;
type UpdateConfig = NonNullable<Deploy['update_config']>;
type VolumeOptions = NonNullable<RawMount['VolumeOptions']> & { NoCopy?: boolean };

/** What converting one service found that swarm does not honour. */
export type Unsupported = (field: string, message: string) => void;

const nanos = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : parseDuration(value);

/** Only the fields that are set, so a spec holds what the files say and nothing else. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function updateConfig(source: UpdateConfig | undefined): RawUpdateConfig | undefined {
  if (!source) return undefined;
  // docker stack deploy sends parallelism 1 when the files leave it out.
  return defined({
    Parallelism: source.parallelism ?? 1,
    Delay: nanos(source.delay),
    FailureAction: source.failure_action,
    Monitor: nanos(source.monitor),
    MaxFailureRatio: source.max_failure_ratio,
    Order: source.order,
  });
}

/** deploy.restart_policy, else `restart` mapped as docker stack deploy maps it. */
function restartPolicy(service: ComposeService): RawTaskSpec['RestartPolicy'] {
  const policy = service.deploy?.restart_policy;
  if (policy)
    return defined({
      Condition: policy.condition,
      Delay: nanos(policy.delay),
      MaxAttempts: policy.max_attempts,
      Window: nanos(policy.window),
    });
  const restart = service.restart;
  if (restart === undefined || restart === 'no') return undefined;
  if (restart === 'always' || restart === 'unless-stopped') return { Condition: 'any' };
  const attempts = Number(restart.split(':')[1] ?? '0');
  return { Condition: 'on-failure', MaxAttempts: attempts };
}

const cpus = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : Math.round(Number(value) * 1e9);

function resources(service: ComposeService, unsupported: Unsupported): RawTaskSpec['Resources'] {
  const { limits, reservations } = service.deploy?.resources ?? {};
  if (reservations?.pids !== undefined)
    unsupported('deploy.resources.reservations.pids', 'swarm reserves no pids; ignored');
  return defined({
    Limits: limits
      ? defined({ NanoCPUs: cpus(limits.cpus), MemoryBytes: limits.memory, Pids: limits.pids })
      : undefined,
    Reservations: reservations
      ? defined({ NanoCPUs: cpus(reservations.cpus), MemoryBytes: reservations.memory })
      : undefined,
  });
}

function ports(service: ComposeService, unsupported: Unsupported): RawPortConfig[] {
  const out: RawPortConfig[] = [];
  service.ports.forEach((port, i) => {
    if (port.host_ip !== undefined)
      unsupported(`ports[${i}].host_ip`, 'swarm publishes on every address; host_ip ignored');
    const published = port.published === undefined ? undefined : Number(port.published);
    if (published !== undefined && !Number.isInteger(published)) {
      unsupported(`ports[${i}].published`, `a range (${port.published}) is not published by swarm`);
      return;
    }
    out.push(
      defined({
        Name: port.name,
        Protocol: port.protocol,
        TargetPort: port.target,
        PublishedPort: published,
        PublishMode: port.mode ?? 'ingress',
      }),
    );
  });
  return out.sort(
    (a, b) => (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0) || a.TargetPort - b.TargetPort,
  );
}

function mounts(
  service: ComposeService,
  project: ComposeProject,
  namespace: string,
  unsupported: Unsupported,
): RawMount[] {
  return service.volumes.map((v, i) => {
    if (v.type === 'bind')
      return defined({
        Type: 'bind' as const,
        Source: v.source,
        Target: v.target,
        ReadOnly: v.read_only,
        BindOptions: v.bind?.propagation ? { Propagation: v.bind.propagation } : undefined,
      });
    if (v.type === 'tmpfs')
      return defined({
        Type: 'tmpfs' as const,
        Target: v.target,
        ReadOnly: v.read_only,
        TmpfsOptions: v.tmpfs
          ? defined({ SizeBytes: v.tmpfs.size, Mode: v.tmpfs.mode })
          : undefined,
      });
    if (v.volume?.subpath !== undefined)
      unsupported(`volumes[${i}].volume.subpath`, 'subpath needs Engine API 1.45; ignored');
    const volume = v.source === undefined ? undefined : project.volumes[v.source];
    const options: VolumeOptions = defined({
      NoCopy: v.volume?.nocopy,
      Labels: volume && !volume.external ? withNamespace(namespace, volume.labels) : undefined,
      DriverConfig:
        volume && !volume.external && volume.driver
          ? defined({ Name: volume.driver, Options: volume.driver_opts })
          : undefined,
    });
    return defined({
      Type: 'volume' as const,
      Source: volume ? volume.name : undefined,
      Target: v.target,
      ReadOnly: v.read_only,
      VolumeOptions: Object.keys(options).length > 0 ? options : undefined,
    });
  });
}

function fileRefs(
  kind: 'secrets' | 'configs',
  service: ComposeService,
  project: ComposeProject,
): RawContainerSpec['Secrets'] {
  const refs = service[kind];
  if (!refs || refs.length === 0) return undefined;
  return refs
    .map((ref) => {
      const name = project[kind][ref.source]?.name ?? scoped(project.name, ref.source);
      const file = {
        Name: ref.target ?? ref.source,
        UID: ref.uid ?? '0',
        GID: ref.gid ?? '0',
        Mode: ref.mode ?? 0o444,
      };
      // The engine wants the object's id: the apply fills it in once the object exists.
      return kind === 'secrets'
        ? { File: file, SecretID: '', SecretName: name }
        : { File: file, ConfigID: '', ConfigName: name };
    })
    .sort((a, b) => a.File.Name.localeCompare(b.File.Name));
}

function healthcheck(
  service: ComposeService,
  unsupported: Unsupported,
): RawContainerSpec['Healthcheck'] {
  const check = service.healthcheck;
  if (!check) return undefined;
  if (check.disable) return { Test: ['NONE'] };
  if (check.start_interval !== undefined)
    unsupported('healthcheck.start_interval', 'start_interval needs Engine API 1.44; ignored');
  return defined({
    Test: check.test,
    Interval: nanos(check.interval),
    Timeout: nanos(check.timeout),
    Retries: check.retries,
    StartPeriod: nanos(check.start_period),
  });
}

/** `host:ip` (compose) → `ip host` (the engine's /etc/hosts lines), as docker stack deploy writes them. */
const hostsLines = (entries: string[] | undefined): string[] | undefined =>
  entries?.map((entry) => {
    const at = entry.indexOf(':');
    return `${entry.slice(at + 1)} ${entry.slice(0, at)}`;
  });

function networks(
  key: string,
  service: ComposeService,
  project: ComposeProject,
  unsupported: Unsupported,
): RawTaskSpec['Networks'] {
  const attached = Object.entries(service.networks ?? {});
  return attached
    .map(([net, config]) => {
      for (const field of ['ipv4_address', 'ipv6_address', 'priority'] as const)
        if (config?.[field] !== undefined)
          unsupported(
            `networks.${net}.${field}`,
            `swarm assigns addresses itself; ${field} ignored`,
          );
      return {
        Target: project.networks[net]?.name ?? scoped(project.name, net),
        Aliases: [...(config?.aliases ?? []), key],
      };
    })
    .sort((a, b) => a.Target.localeCompare(b.Target));
}

/** One compose service → the Engine API's ServiceSpec `docker stack deploy` would send. */
export function serviceSpec(
  key: string,
  service: ComposeService,
  project: ComposeProject,
  unsupported: Unsupported,
): RawServiceSpec {
  const namespace = project.name;
  const deploy = service.deploy;
  const image = service.image ?? '';
  const env = Object.entries(service.environment)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  const dns =
    service.dns || service.dns_search || service.dns_opt
      ? defined({ Nameservers: service.dns, Search: service.dns_search, Options: service.dns_opt })
      : undefined;
  const container: RawContainerSpec = defined({
    Image: image,
    Labels: withNamespace(namespace, service.labels),
    Command: service.entrypoint ?? undefined,
    Args: service.command ?? undefined,
    Hostname: service.hostname,
    Hosts: hostsLines(service.extra_hosts),
    DNSConfig: dns,
    Env: env.length > 0 ? env : undefined,
    Dir: service.working_dir,
    User: service.user,
    Groups: service.group_add,
    Mounts:
      service.volumes.length > 0 ? mounts(service, project, namespace, unsupported) : undefined,
    StopGracePeriod: nanos(service.stop_grace_period),
    StopSignal: service.stop_signal,
    TTY: service.tty,
    OpenStdin: service.stdin_open,
    Healthcheck: healthcheck(service, unsupported),
    Secrets: fileRefs('secrets', service, project),
    Configs: fileRefs('configs', service, project),
    Init: service.init,
    ReadOnly: service.read_only,
    Sysctls: service.sysctls,
    CapabilityAdd: service.cap_add,
    CapabilityDrop: service.cap_drop,
    Ulimits: service.ulimits
      ? Object.entries(service.ulimits)
          .map(([Name, l]) => ({ Name, Soft: l.soft, Hard: l.hard }))
          .sort((a, b) => a.Name.localeCompare(b.Name))
      : undefined,
  });
  const placement = deploy?.placement;
  const task: RawTaskSpec = defined({
    ContainerSpec: container,
    Resources: resources(service, unsupported),
    RestartPolicy: restartPolicy(service),
    Placement: defined({
      Constraints: placement?.constraints,
      Preferences: placement?.preferences?.map((p) => ({ Spread: { SpreadDescriptor: p.spread } })),
      MaxReplicas: placement?.max_replicas_per_node,
    }),
    Networks: networks(key, service, project, unsupported),
    LogDriver: service.logging?.driver
      ? defined({ Name: service.logging.driver, Options: service.logging.options })
      : undefined,
  });
  const published = ports(service, unsupported);
  const global = deploy?.mode === 'global';
  if (global && deploy.replicas !== undefined)
    unsupported('deploy.replicas', 'a global service runs one task per node; replicas ignored');
  return defined({
    Name: scoped(namespace, key),
    // docker stack deploy names the image on the service's labels (not the containers').
    Labels: { ...withNamespace(namespace, deploy?.labels), [STACK_IMAGE]: image },
    TaskTemplate: task,
    Mode: global ? { Global: {} } : { Replicated: { Replicas: service.scale } },
    UpdateConfig: updateConfig(deploy?.update_config),
    RollbackConfig: updateConfig(deploy?.rollback_config),
    EndpointSpec:
      deploy?.endpoint_mode || published.length > 0
        ? defined({
            Mode: deploy?.endpoint_mode,
            Ports: published.length > 0 ? published : undefined,
          })
        : undefined,
  });
}
