import type { ContainerSpec, MountSpec, PortSpec } from '@berth/contract';
import type { RawContainerCreateBody } from '../../docker/containers-api.js';
import { ENVIRONMENT_LABEL, MANAGED_LABEL } from './berth-labels.js';
import type { RawContainerInspect, RawImageInspect } from '../../docker/engine-types.js';
import { dockerRunCommand } from './docker-run/docker-run-command.js';
import { runtimeFromInspect, runtimeOptions } from './container-spec-runtime.js';

const NANOS = 1e9;

function portKey(port: { containerPort: number; protocol: string }): string {
  return `${port.containerPort}/${port.protocol}`;
}

/** The engine's create body for a spec. Typed builder: never a template string. */
export function buildCreateBody(spec: ContainerSpec): RawContainerCreateBody {
  const portBindings: Record<string, { HostIp?: string; HostPort?: string }[]> = {};
  const exposed: Record<string, object> = {};
  for (const port of spec.expose ?? []) exposed[port.includes('/') ? port : `${port}/tcp`] = {};
  for (const port of spec.ports ?? []) {
    const key = portKey(port);
    exposed[key] = {};
    (portBindings[key] ??= []).push({
      HostIp: port.hostIp ?? '',
      HostPort: port.hostPort === undefined ? '' : String(port.hostPort),
    });
  }
  // The engine creates a missing host folder for the legacy `Binds` form only (as `docker run
  // -v` does, on the engine's own host, remote ones too); `Mounts` refuses a missing source.
  // A source with a colon cannot be written as a bind string and stays a mount.
  const binds: string[] = [];
  const asBind = (m: MountSpec): boolean =>
    m.type === 'bind' && m.createHostPath === true && !`${m.source}${m.target}`.includes(':');
  for (const m of spec.mounts ?? [])
    if (m.type === 'bind' && asBind(m))
      binds.push(`${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`);
  const mounts = (spec.mounts ?? [])
    .filter((m) => !asBind(m))
    .map((m) =>
      m.type === 'tmpfs'
        ? {
            Type: 'tmpfs' as const,
            Target: m.target,
            ...(m.sizeBytes || m.mode !== undefined
              ? {
                  TmpfsOptions: {
                    ...(m.sizeBytes ? { SizeBytes: m.sizeBytes } : {}),
                    ...(m.mode !== undefined ? { Mode: m.mode } : {}),
                  },
                }
              : {}),
          }
        : {
            Type: m.type,
            ...(m.source ? { Source: m.source } : {}),
            Target: m.target,
            ReadOnly: m.readOnly,
          },
    );
  // The engine attaches one network at create; the service connects the others afterwards.
  const firstNetwork = spec.networks?.[0];
  const labels: Record<string, string> = { ...spec.labels, [MANAGED_LABEL]: 'true' };
  if (spec.environment) labels[ENVIRONMENT_LABEL] = spec.environment;
  const health = spec.healthcheck;
  const body: RawContainerCreateBody = {
    Image: spec.image,
    ...(spec.command ? { Cmd: spec.command } : {}),
    ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
    Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
    Labels: labels,
    ...(spec.user !== undefined ? { User: spec.user } : {}),
    ...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
    ...(spec.hostname ? { Hostname: spec.hostname } : {}),
    ...(spec.domainname ? { Domainname: spec.domainname } : {}),
    ...(spec.stopSignal ? { StopSignal: spec.stopSignal } : {}),
    ...(spec.tty ? { Tty: true } : {}),
    ...(spec.openStdin ? { OpenStdin: true } : {}),
    ...(spec.stdinOnce ? { StdinOnce: true } : {}),
    ...(spec.stopTimeoutS !== undefined ? { StopTimeout: spec.stopTimeoutS } : {}),
    ExposedPorts: exposed,
    ...(health
      ? {
          Healthcheck: {
            Test: health.test,
            ...(health.intervalS ? { Interval: Math.round(health.intervalS * NANOS) } : {}),
            ...(health.timeoutS ? { Timeout: Math.round(health.timeoutS * NANOS) } : {}),
            ...(health.retries !== undefined ? { Retries: health.retries } : {}),
            ...(health.startPeriodS !== undefined
              ? { StartPeriod: Math.round(health.startPeriodS * NANOS) }
              : {}),
          },
        }
      : {}),
    HostConfig: {
      PortBindings: portBindings,
      Mounts: mounts,
      ...(binds.length > 0 ? { Binds: binds } : {}),
      RestartPolicy: spec.restartPolicy
        ? {
            Name: spec.restartPolicy.name,
            MaximumRetryCount: spec.restartPolicy.maximumRetryCount ?? 0,
          }
        : { Name: 'no' },
      ...(spec.resources?.memoryBytes ? { Memory: spec.resources.memoryBytes } : {}),
      ...(spec.resources?.cpus ? { NanoCpus: Math.round(spec.resources.cpus * NANOS) } : {}),
      ...(spec.resources?.pidsLimit ? { PidsLimit: spec.resources.pidsLimit } : {}),
      CapAdd: spec.capAdd ?? null,
      CapDrop: spec.capDrop ?? null,
      Devices: (spec.devices ?? []).map((d) => ({
        PathOnHost: d.hostPath,
        PathInContainer: d.containerPath ?? d.hostPath,
        CgroupPermissions: d.permissions,
      })),
      Privileged: spec.privileged ?? false,
      ...namespaceModes(spec),
      ...(spec.securityOpt ? { SecurityOpt: spec.securityOpt } : {}),
      ...(spec.sysctls ? { Sysctls: spec.sysctls } : {}),
      ...(spec.logConfig
        ? { LogConfig: { Type: spec.logConfig.driver, Config: spec.logConfig.options ?? {} } }
        : {}),
      ...runtimeOptions(spec),
      ...(firstNetwork ? { NetworkMode: firstNetwork.name } : {}),
    },
    ...(firstNetwork
      ? {
          NetworkingConfig: {
            EndpointsConfig: {
              [firstNetwork.name]: {
                ...(firstNetwork.ipv4Address || firstNetwork.ipv6Address
                  ? {
                      IPAMConfig: {
                        ...(firstNetwork.ipv4Address
                          ? { IPv4Address: firstNetwork.ipv4Address }
                          : {}),
                        ...(firstNetwork.ipv6Address
                          ? { IPv6Address: firstNetwork.ipv6Address }
                          : {}),
                      },
                    }
                  : {}),
                ...(firstNetwork.aliases ? { Aliases: firstNetwork.aliases } : {}),
              },
            },
          },
        }
      : {}),
  };
  return body;
}

function namespaceModes(spec: ContainerSpec): Partial<RawContainerCreateBody['HostConfig']> {
  return {
    ...(spec.pidMode ? { PidMode: spec.pidMode } : {}),
    ...(spec.ipcMode ? { IpcMode: spec.ipcMode } : {}),
    ...(spec.utsMode ? { UTSMode: spec.utsMode } : {}),
    ...(spec.usernsMode ? { UsernsMode: spec.usernsMode } : {}),
    ...(spec.cgroupnsMode ? { CgroupnsMode: spec.cgroupnsMode } : {}),
  };
}

/**
 * The namespace modes, security options and sysctls of an inspect; the engine's defaults left
 * out. The cgroup namespace is not read back: on cgroup v1 every container reports `host`.
 */
function hostLevelFromInspect(host: RawContainerInspect['HostConfig']): Partial<ContainerSpec> {
  const shared = (mode: string | undefined): boolean =>
    mode === 'host' || (mode?.startsWith('container:') ?? false);
  const ipc = host.IpcMode;
  // The engine adds label=disable itself to privileged containers and to those sharing the
  // host's PID or IPC namespace: it is not the user's, and a recreate gets it again.
  const engineAdded = host.Privileged || host.PidMode === 'host' || ipc === 'host';
  const securityOpt = (host.SecurityOpt ?? []).filter(
    (o) => !(engineAdded && /^label[=:]disable$/.test(o)),
  );
  return {
    ...(shared(host.PidMode) ? { pidMode: host.PidMode } : {}),
    ...(ipc && (shared(ipc) || ipc === 'none') ? { ipcMode: ipc } : {}),
    ...(host.UTSMode === 'host' ? { utsMode: 'host' as const } : {}),
    ...(host.UsernsMode === 'host' ? { usernsMode: 'host' as const } : {}),
    ...(securityOpt.length ? { securityOpt } : {}),
    ...(host.Sysctls && Object.keys(host.Sysctls).length > 0 ? { sysctls: host.Sysctls } : {}),
  };
}

function differs(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) !== JSON.stringify(b ?? null);
}

/**
 * The spec of an existing container, as Berth would have created it: the base of an edit
 * (recreate) and of a duplicate. Values equal to the image's defaults are left out so that a
 * recreate picks up a changed image's defaults, as `docker run` would.
 */
export function specFromInspect(
  inspect: RawContainerInspect,
  image?: RawImageInspect,
): ContainerSpec {
  const config = inspect.Config;
  const host = inspect.HostConfig;
  const imageEnv = new Set(image?.Config.Env ?? []);
  const env: Record<string, string> = {};
  for (const entry of config.Env ?? []) {
    if (imageEnv.has(entry)) continue;
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  const ports: PortSpec[] = [];
  for (const [key, bindings] of Object.entries(host.PortBindings ?? {})) {
    const [port = '0', protocol = 'tcp'] = key.split('/');
    for (const binding of bindings ?? [{}]) {
      ports.push({
        containerPort: Number(port),
        protocol: protocol === 'udp' ? 'udp' : 'tcp',
        ...(binding.HostPort ? { hostPort: Number(binding.HostPort) } : {}),
        ...(binding.HostIp ? { hostIp: binding.HostIp } : {}),
      });
    }
  }
  const mounts: MountSpec[] = [];
  for (const m of host.Mounts ?? []) {
    if (m.Type === 'tmpfs')
      mounts.push({
        type: 'tmpfs',
        target: m.Target,
        ...(m.TmpfsOptions?.SizeBytes ? { sizeBytes: m.TmpfsOptions.SizeBytes } : {}),
        ...(m.TmpfsOptions?.Mode !== undefined ? { mode: m.TmpfsOptions.Mode } : {}),
      });
    else if (m.Type === 'bind')
      mounts.push({
        type: 'bind',
        source: m.Source ?? '',
        target: m.Target,
        readOnly: m.ReadOnly ?? false,
      });
    else
      mounts.push({
        type: 'volume',
        ...(m.Source ? { source: m.Source } : {}),
        target: m.Target,
        readOnly: m.ReadOnly ?? false,
      });
  }
  for (const bind of host.Binds ?? []) {
    const [source = '', target = '', mode = ''] = bind.split(':');
    const readOnly = mode.split(',').includes('ro');
    if (source.startsWith('/')) mounts.push({ type: 'bind', source, target, readOnly });
    else mounts.push({ type: 'volume', source, target, readOnly });
  }
  const labels = { ...(config.Labels ?? {}) };
  for (const [k, v] of Object.entries(image?.Config.Labels ?? {}))
    if (labels[k] === v) delete labels[k];
  const environment = labels[ENVIRONMENT_LABEL];
  delete labels[MANAGED_LABEL];
  delete labels[ENVIRONMENT_LABEL];
  const shortId = inspect.Id.slice(0, 12);
  const name = inspect.Name.replace(/^\//, '');
  const networks = Object.entries(inspect.NetworkSettings.Networks ?? {})
    .filter(
      ([net]) => !['bridge', 'host', 'none', 'default'].includes(net) || host.NetworkMode === net,
    )
    .filter(([net]) => net !== 'bridge')
    .map(([net, settings]) => {
      const aliases = (settings.Aliases ?? []).filter((a) => a !== shortId && a !== name);
      return {
        name: net,
        ...(settings.IPAMConfig?.IPv4Address
          ? { ipv4Address: settings.IPAMConfig.IPv4Address }
          : {}),
        ...(settings.IPAMConfig?.IPv6Address
          ? { ipv6Address: settings.IPAMConfig.IPv6Address }
          : {}),
        ...(aliases.length > 0 ? { aliases } : {}),
      };
    });
  const health = config.Healthcheck;
  const restart = host.RestartPolicy;
  return {
    name,
    image: config.Image,
    ...(config.Cmd && (!image || differs(config.Cmd, image.Config.Cmd))
      ? { command: config.Cmd }
      : {}),
    ...(config.Entrypoint && (!image || differs(config.Entrypoint, image.Config.Entrypoint))
      ? { entrypoint: config.Entrypoint }
      : {}),
    ...(Object.keys(env).length > 0 ? { env } : {}),
    ...(ports.length > 0 ? { ports } : {}),
    ...(mounts.length > 0 ? { mounts } : {}),
    ...(networks.length > 0 ? { networks } : {}),
    ...(restart?.Name && restart.Name !== 'no'
      ? {
          restartPolicy: {
            name: restart.Name,
            ...(restart.MaximumRetryCount ? { maximumRetryCount: restart.MaximumRetryCount } : {}),
          },
        }
      : {}),
    ...(host.Memory || host.NanoCpus || host.PidsLimit || host.MemoryReservation
      ? {
          resources: {
            ...(host.Memory ? { memoryBytes: host.Memory } : {}),
            ...(host.MemoryReservation ? { memoryReservationBytes: host.MemoryReservation } : {}),
            ...(host.NanoCpus ? { cpus: host.NanoCpus / NANOS } : {}),
            ...(host.PidsLimit ? { pidsLimit: host.PidsLimit } : {}),
          },
        }
      : {}),
    ...(health?.Test && (!image || differs(health, image.Config.Healthcheck))
      ? {
          healthcheck: {
            test: health.Test,
            ...(health.Interval ? { intervalS: health.Interval / NANOS } : {}),
            ...(health.Timeout ? { timeoutS: health.Timeout / NANOS } : {}),
            ...(health.Retries !== undefined ? { retries: health.Retries } : {}),
            ...(health.StartPeriod ? { startPeriodS: health.StartPeriod / NANOS } : {}),
          },
        }
      : {}),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(config.User && (!image || config.User !== image.Config.User) ? { user: config.User } : {}),
    ...(config.WorkingDir && (!image || config.WorkingDir !== image.Config.WorkingDir)
      ? { workingDir: config.WorkingDir }
      : {}),
    ...(config.Hostname && config.Hostname !== shortId ? { hostname: config.Hostname } : {}),
    ...(host.CapAdd?.length ? { capAdd: host.CapAdd } : {}),
    ...(host.CapDrop?.length ? { capDrop: host.CapDrop } : {}),
    ...(host.Devices?.length
      ? {
          devices: host.Devices.map((d) => ({
            hostPath: d.PathOnHost,
            containerPath: d.PathInContainer,
            permissions: d.CgroupPermissions || 'rwm',
          })),
        }
      : {}),
    ...(host.Privileged ? { privileged: true } : {}),
    ...hostLevelFromInspect(host),
    ...runtimeFromInspect(inspect, image),
    ...(config.StopTimeout !== undefined ? { stopTimeoutS: config.StopTimeout } : {}),
    ...(host.LogConfig?.Type && host.LogConfig.Type !== 'json-file'
      ? { logConfig: { driver: host.LogConfig.Type, options: host.LogConfig.Config ?? {} } }
      : {}),
    ...(environment ? { environment } : {}),
  };
}

/**
 * The `docker run` a spec amounts to, before anything exists: the create body dressed as the
 * inspect the engine would report, fed to the same reconstruction the container detail uses.
 */
export function dockerRunForSpec(spec: ContainerSpec): string {
  const body = buildCreateBody(spec);
  const networks = Object.fromEntries(
    Object.entries(body.NetworkingConfig?.EndpointsConfig ?? {}).map(([name, endpoint]) => [
      name,
      {
        NetworkID: '',
        EndpointID: '',
        IPAddress: '',
        Aliases: endpoint.Aliases ?? null,
        IPAMConfig: endpoint.IPAMConfig ?? null,
      },
    ]),
  );
  const inspect: RawContainerInspect = {
    Id: '',
    Created: '',
    Path: '',
    Args: [],
    State: {
      Status: 'created',
      Running: false,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: 0,
      ExitCode: 0,
      Error: '',
      StartedAt: '',
      FinishedAt: '',
    },
    Image: '',
    Name: spec.name ? `/${spec.name}` : '/',
    RestartCount: 0,
    Config: {
      Hostname: body.Hostname ?? '',
      ...(body.Domainname ? { Domainname: body.Domainname } : {}),
      ...(body.StopSignal ? { StopSignal: body.StopSignal } : {}),
      ...(body.Tty ? { Tty: true } : {}),
      ...(body.OpenStdin ? { OpenStdin: true } : {}),
      User: body.User ?? '',
      Env: body.Env ?? [],
      Cmd: body.Cmd ?? null,
      Entrypoint: body.Entrypoint ?? null,
      Image: body.Image,
      WorkingDir: body.WorkingDir ?? '',
      Labels: body.Labels ?? {},
      ExposedPorts: body.ExposedPorts ?? {},
      ...(body.Healthcheck ? { Healthcheck: body.Healthcheck } : {}),
      ...(body.StopTimeout !== undefined ? { StopTimeout: body.StopTimeout } : {}),
    },
    HostConfig: body.HostConfig,
    Mounts: [],
    NetworkSettings: { Networks: networks },
  };
  return dockerRunCommand(inspect).replace(/ --name \/?(?= |$)/, ' ');
}
