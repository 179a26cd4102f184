import type {
  RawContainerConfig,
  RawContainerInspect,
  RawHealthConfig,
  RawHostConfig,
  RawImageInspect,
  RawPortBinding,
} from './engine-types.js';

/**
 * Turns a container's engine inspect back into the `docker run` that would recreate it, for
 * users who want to copy a container out of Berth. Berth itself never runs this text: it
 * talks to the Engine API. The argv form is the source of truth; the shell string is only
 * its quoted rendering, so no value from the engine can escape its argument.
 *
 * Given the image inspect, settings the container merely inherited from its image are left
 * out, so the command stays short and follows the image when it is updated.
 */

type Endpoint = NonNullable<RawContainerInspect['NetworkSettings']['Networks']>[string];

/** Characters no POSIX shell treats specially, so a word made only of them needs no quotes. */
const SHELL_SAFE = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;

/** Network modes in which the container sits on the engine's default bridge. */
const DEFAULT_NETWORK_MODES = new Set(['', 'default', 'bridge']);

export function shellQuote(arg: string): string {
  if (SHELL_SAFE.test(arg)) return arg;
  // Within single quotes only the closing quote is special, so an embedded quote ends the
  // quoted part, adds an escaped quote, and starts a new quoted part.
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Go's `time.Duration.String()`, the form `docker run` parses for its duration flags. */
export function goDuration(nanoseconds: number): string {
  if (!Number.isFinite(nanoseconds)) {
    throw new RangeError(`not a finite duration: ${nanoseconds}`);
  }
  const total = Math.round(Math.abs(nanoseconds));
  if (total === 0) return '0s';
  const sign = nanoseconds < 0 ? '-' : '';
  if (total < 1e3) return `${sign}${total}ns`;
  if (total < 1e6) return `${sign}${withFraction(total, 1e3, 3)}\u00b5s`;
  if (total < 1e9) return `${sign}${withFraction(total, 1e6, 6)}ms`;
  const seconds = `${withFraction(total % 60e9, 1e9, 9)}s`;
  const minutes = Math.floor(total / 60e9);
  if (minutes === 0) return `${sign}${seconds}`;
  const hours = Math.floor(minutes / 60);
  const rest = `${minutes % 60}m${seconds}`;
  return hours === 0 ? `${sign}${rest}` : `${sign}${hours}h${rest}`;
}

export function dockerRunArgs(inspect: RawContainerInspect, image?: RawImageInspect): string[] {
  const { flags: entrypointFlags, tail } = entrypointAndCommand(inspect.Config, image);
  return [
    'docker',
    'run',
    '--detach',
    ...identityFlags(inspect, image),
    ...publishFlags(inspect.HostConfig),
    ...mountFlags(inspect.HostConfig),
    ...networkFlags(inspect),
    ...restartFlags(inspect.HostConfig),
    ...resourceFlags(inspect.HostConfig),
    ...healthFlags(inspect.Config.Healthcheck, image?.Config.Healthcheck),
    ...labelFlags(inspect.Config, image),
    ...privilegeFlags(inspect.HostConfig),
    ...logFlags(inspect.HostConfig),
    ...entrypointFlags,
    ...processFlags(inspect.Config, inspect.HostConfig),
    inspect.Config.Image,
    ...tail,
  ];
}

export function dockerRunCommand(inspect: RawContainerInspect, image?: RawImageInspect): string {
  return dockerRunArgs(inspect, image).map(shellQuote).join(' ');
}

/** `value / unit` as a decimal with no trailing zeros; integer arithmetic keeps it exact. */
function withFraction(value: number, unit: number, digits: number): string {
  const whole = Math.floor(value / unit);
  const fraction = value % unit;
  if (fraction === 0) return String(whole);
  return `${whole}.${String(fraction).padStart(digits, '0').replace(/0+$/, '')}`;
}

function sameList(
  a: readonly string[] | null | undefined,
  b: readonly string[] | null | undefined,
) {
  const left = a ?? [];
  const right = b ?? [];
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

function identityFlags(inspect: RawContainerInspect, image: RawImageInspect | undefined) {
  const config = inspect.Config;
  const out: string[] = [];
  const name = inspect.Name.replace(/^\//, '');
  if (name !== '') out.push('--name', name);
  const mode = inspect.HostConfig.NetworkMode ?? '';
  // In these modes the engine fills the hostname from the host or the joined container, and
  // docker refuses --hostname alongside container:<id>; repeating it would pin a derived value.
  const sharedUts = mode === 'host' || mode.startsWith('container:');
  if (!sharedUts && config.Hostname !== '' && config.Hostname !== inspect.Id.slice(0, 12)) {
    out.push('--hostname', config.Hostname);
  }
  if (!sharedUts && config.Domainname) out.push('--domainname', config.Domainname);
  // The engine fills an empty user or working directory from the image, so a value equal
  // to the image's is an inherited one.
  if (config.User !== '' && config.User !== image?.Config.User) out.push('--user', config.User);
  if (config.WorkingDir !== '' && config.WorkingDir !== image?.Config.WorkingDir) {
    out.push('--workdir', config.WorkingDir);
  }
  const imageEnv = new Set(image?.Config.Env ?? []);
  for (const entry of config.Env ?? []) {
    if (!imageEnv.has(entry)) out.push('--env', entry);
  }
  return out;
}

function publishFlags(host: RawHostConfig): string[] {
  const out: string[] = [];
  for (const [key, bindings] of Object.entries(host.PortBindings ?? {})) {
    const slash = key.indexOf('/');
    const port = slash === -1 ? key : key.slice(0, slash);
    const protocol = slash === -1 ? 'tcp' : key.slice(slash + 1);
    const containerPort = protocol === 'tcp' ? port : `${port}/${protocol}`;
    for (const binding of bindings ?? [])
      out.push('--publish', publishSpec(binding, containerPort));
  }
  return out;
}

function publishSpec(binding: RawPortBinding, containerPort: string): string {
  const ip = binding.HostIp ?? '';
  const hostPort = binding.HostPort ?? '';
  if (ip === '' || ip === '0.0.0.0') {
    return hostPort === '' ? containerPort : `${hostPort}:${containerPort}`;
  }
  // An IPv6 address holds colons of its own; brackets keep it apart from the ports.
  const hostIp = ip.includes(':') ? `[${ip}]` : ip;
  return `${hostIp}:${hostPort}:${containerPort}`;
}

function mountFlags(host: RawHostConfig): string[] {
  const out: string[] = [];
  for (const bind of host.Binds ?? []) out.push('--volume', bind);
  for (const mount of host.Mounts ?? []) {
    const fields = [`type=${mount.Type}`];
    if (mount.Type !== 'tmpfs' && mount.Source) fields.push(`source=${mount.Source}`);
    fields.push(`target=${mount.Target}`);
    if (mount.ReadOnly) fields.push('readonly');
    const tmpfs = mount.Type === 'tmpfs' ? mount.TmpfsOptions : undefined;
    if (tmpfs?.SizeBytes) fields.push(`tmpfs-size=${tmpfs.SizeBytes}`);
    // docker reads tmpfs-mode as octal; the engine reports it as a plain number.
    if (tmpfs?.Mode) fields.push(`tmpfs-mode=${tmpfs.Mode.toString(8)}`);
    out.push('--mount', fields.map(csvField).join(','));
  }
  for (const [path, options] of Object.entries(host.Tmpfs ?? {})) {
    out.push('--tmpfs', options === '' ? path : `${path}:${options}`);
  }
  return out;
}

/** docker parses --mount as one CSV record, so a path holding a comma or quote is quoted. */
function csvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

function networkFlags(inspect: RawContainerInspect): string[] {
  const mode = inspect.HostConfig.NetworkMode ?? '';
  const networks = Object.entries(inspect.NetworkSettings.Networks ?? {});
  let primary: [string, Endpoint | undefined] | undefined;
  if (!DEFAULT_NETWORK_MODES.has(mode)) {
    // NetworkMode may name the network by id while the endpoints are keyed by name.
    const endpoint =
      networks.find(([name]) => name === mode) ??
      networks.find(([, e]) => e.NetworkID.startsWith(mode));
    primary = [mode, endpoint?.[1]];
  } else if (!networks.some(([name]) => name === 'bridge')) {
    // Created on the bridge, then moved to user networks: the first of them stands in, as
    // one `docker run` joins one network; further ones need `docker network connect`.
    primary = networks[0];
  }
  if (primary === undefined) return [];
  const [name, endpoint] = primary;
  const out = ['--network', name];
  if (endpoint === undefined) return out;
  const ipv4 = endpoint.IPAMConfig?.IPv4Address;
  const ipv6 = endpoint.IPAMConfig?.IPv6Address;
  if (ipv4) out.push('--ip', ipv4);
  if (ipv6) out.push('--ip6', ipv6);
  // The engine adds the short id and the name as aliases by itself.
  const automatic = new Set([inspect.Id, inspect.Id.slice(0, 12), inspect.Name.replace(/^\//, '')]);
  for (const alias of endpoint.Aliases ?? []) {
    if (!automatic.has(alias)) out.push('--network-alias', alias);
  }
  return out;
}

function restartFlags(host: RawHostConfig): string[] {
  const policy = host.RestartPolicy;
  if (policy === undefined || policy.Name === '' || policy.Name === 'no') return [];
  const retries = policy.MaximumRetryCount ?? 0;
  if (policy.Name === 'on-failure' && retries > 0) return ['--restart', `on-failure:${retries}`];
  return ['--restart', policy.Name];
}

function resourceFlags(host: RawHostConfig): string[] {
  const out: string[] = [];
  const memory = host.Memory ?? 0;
  if (memory > 0) out.push('--memory', String(memory));
  if ((host.MemoryReservation ?? 0) > 0) {
    out.push('--memory-reservation', String(host.MemoryReservation));
  }
  // The engine stores twice the memory limit as swap when none was asked for.
  const swap = host.MemorySwap ?? 0;
  if (memory > 0 && swap !== 0 && swap !== memory * 2) out.push('--memory-swap', String(swap));
  const nanoCpus = Math.round(host.NanoCpus ?? 0);
  if (nanoCpus > 0) out.push('--cpus', withFraction(nanoCpus, 1e9, 9));
  if ((host.CpuShares ?? 0) > 0) out.push('--cpu-shares', String(host.CpuShares));
  if ((host.PidsLimit ?? 0) > 0) out.push('--pids-limit', String(host.PidsLimit));
  return out;
}

const HEALTH_DURATIONS = [
  ['--health-interval', 'Interval'],
  ['--health-timeout', 'Timeout'],
  ['--health-start-period', 'StartPeriod'],
] as const;

/**
 * The engine fills each healthcheck field the container left unset from the image, so only
 * fields that differ from the image's were chosen for this container.
 */
function healthFlags(health: RawHealthConfig | undefined, base: RawHealthConfig | undefined) {
  if (health === undefined) return [];
  const test = health.Test ?? [];
  if (test[0] === 'NONE') return sameList(test, base?.Test) ? [] : ['--no-healthcheck'];
  const out: string[] = [];
  const command = test.length > 0 && !sameList(test, base?.Test) ? healthCommand(test) : undefined;
  if (command !== undefined) out.push('--health-cmd', command);
  for (const [flag, field] of HEALTH_DURATIONS) {
    const value = health[field] ?? 0;
    if (value > 0 && value !== base?.[field]) out.push(flag, goDuration(value));
  }
  const retries = health.Retries ?? 0;
  if (retries > 0 && retries !== base?.Retries) out.push('--health-retries', String(retries));
  return out;
}

/** --health-cmd always becomes CMD-SHELL, so an exec-form test is quoted into a shell line. */
function healthCommand(test: readonly string[]): string | undefined {
  const [kind, ...rest] = test;
  if (kind === 'CMD-SHELL') return rest[0];
  if (kind === 'CMD' && rest.length > 0) return rest.map(shellQuote).join(' ');
  return undefined;
}

function labelFlags(config: RawContainerConfig, image: RawImageInspect | undefined): string[] {
  const imageLabels = new Map(Object.entries(image?.Config.Labels ?? {}));
  const out: string[] = [];
  for (const [key, value] of Object.entries(config.Labels ?? {})) {
    if (imageLabels.get(key) !== value) out.push('--label', `${key}=${value}`);
  }
  return out;
}

function privilegeFlags(host: RawHostConfig): string[] {
  const out: string[] = [];
  for (const capability of host.CapAdd ?? []) out.push('--cap-add', capability);
  for (const capability of host.CapDrop ?? []) out.push('--cap-drop', capability);
  for (const device of host.Devices ?? []) {
    const permissions = device.CgroupPermissions;
    const paths = `${device.PathOnHost}:${device.PathInContainer}`;
    const keepPermissions = permissions !== '' && permissions !== 'rwm';
    out.push('--device', keepPermissions ? `${paths}:${permissions}` : paths);
  }
  if (host.Privileged) out.push('--privileged');
  return out;
}

function logFlags(host: RawHostConfig): string[] {
  const log = host.LogConfig;
  if (log === undefined) return [];
  const out: string[] = [];
  if (log.Type !== '' && log.Type !== 'json-file') out.push('--log-driver', log.Type);
  for (const [key, value] of Object.entries(log.Config ?? {}))
    out.push('--log-opt', `${key}=${value}`);
  return out;
}

/**
 * --entrypoint takes one word, so further entrypoint words lead the command. The engine
 * drops the image's Cmd whenever a run sets an entrypoint and falls back to it when a run
 * gives no command, which decides when each must be written out despite matching the image.
 */
function entrypointAndCommand(
  config: RawContainerConfig,
  image: RawImageInspect | undefined,
): { flags: string[]; tail: string[] } {
  const entrypoint = config.Entrypoint ?? [];
  const command = config.Cmd ?? [];
  if (image === undefined) {
    if (entrypoint.length === 0) return { flags: [], tail: command };
  } else {
    const imageCommand = image.Config.Cmd ?? [];
    const inherited =
      sameList(entrypoint, image.Config.Entrypoint) &&
      !(command.length === 0 && imageCommand.length > 0);
    if (inherited) return { flags: [], tail: sameList(command, imageCommand) ? [] : command };
  }
  // An empty --entrypoint is how docker clears the image's entrypoint.
  const [first = '', ...rest] = entrypoint;
  return { flags: ['--entrypoint', first], tail: [...rest, ...command] };
}

function processFlags(config: RawContainerConfig, host: RawHostConfig): string[] {
  const out: string[] = [];
  if (config.StopSignal) out.push('--stop-signal', config.StopSignal);
  if (typeof config.StopTimeout === 'number')
    out.push('--stop-timeout', String(config.StopTimeout));
  if (config.Tty) out.push('--tty');
  if (config.OpenStdin) out.push('--interactive');
  if (host.Init === true) out.push('--init');
  if (host.ReadonlyRootfs) out.push('--read-only');
  if (host.AutoRemove) out.push('--rm');
  return out;
}

/** Any `docker …` command line, shell-quoted; undefined arguments are left out. */
export function dockerCommand(...args: (string | number | undefined)[]): string {
  return ['docker', ...args.filter((a) => a !== undefined).map(String)].map(shellQuote).join(' ');
}
