import { isIP } from 'node:net';
import type { RawContainerCreateBody } from './containers-api.js';
import type {
  RawDeviceMapping,
  RawHealthConfig,
  RawHostConfig,
  RawRestartPolicy,
} from './engine-types.js';

/**
 * Reads the argv of a `docker run` back into the Engine API create body that makes the same
 * container: the inverse of dockerRunArgs. Only the flags dockerRunArgs writes are accepted,
 * and each is read the way the docker CLI reads it, so a pasted command means here what it
 * means to docker. Nothing is ever read from the server's own environment or files.
 */

type Endpoint = { IPAMConfig?: { IPv4Address?: string; IPv6Address?: string }; Aliases?: string[] };
type Mount = NonNullable<RawHostConfig['Mounts']>[number];

/** Create-body fields `docker run` can set that RawContainerCreateBody does not list. */
export type ParsedCreateBody = RawContainerCreateBody & {
  Domainname?: string;
  StopSignal?: string;
  /** Anonymous volumes, from a --volume that names only a container path. */
  Volumes?: Record<string, object>;
  NetworkingConfig?: { EndpointsConfig: Record<string, Endpoint> };
};

export interface ParsedDockerRun {
  name: string | undefined;
  body: ParsedCreateBody;
}

interface Draft {
  name?: string;
  config: Omit<ParsedCreateBody, 'Image' | 'HostConfig' | 'NetworkingConfig'>;
  host: RawHostConfig;
  entrypoint?: string;
  endpoint: Endpoint;
  health: RawHealthConfig;
  noHealthcheck: boolean;
}

// Handlers are one-line assignments; what they return is ignored.
type ValueFlag = (draft: Draft, value: string, flag: string) => unknown;
type SwitchFlag = (draft: Draft, on: boolean) => unknown;

const NANOS_PER_UNIT = new Map<string, bigint>([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', 1_000_000n],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);
const MAX_DURATION = 2n ** 63n - 1n;

/** Go's `time.ParseDuration`, in nanoseconds; the inverse of goDuration. */
export function parseGoDuration(text: string): number {
  const invalid = (why: string) => new Error(`invalid Go duration ${JSON.stringify(text)}: ${why}`);
  const negative = text.startsWith('-');
  let rest = negative || text.startsWith('+') ? text.slice(1) : text;
  // Go accepts a bare zero without a unit, and nothing else.
  if (rest === '0') return 0;
  if (rest === '') throw invalid('empty');
  let total = 0n;
  while (rest !== '') {
    const term = /^(\d*)(?:\.(\d*))?([^\d.]*)/.exec(rest) ?? [];
    const [matched = '', whole = '', fraction = '', unitName = ''] = term;
    if (whole === '' && fraction === '') throw invalid('expected a number');
    if (unitName === '') throw invalid('missing unit');
    const unit = NANOS_PER_UNIT.get(unitName);
    if (unit === undefined) throw invalid(`unknown unit ${JSON.stringify(unitName)}`);
    total += BigInt(whole === '' ? '0' : whole) * unit;
    // Like Go, digits finer than a nanosecond are dropped rather than rounded.
    if (fraction !== '') total += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
    if (total > MAX_DURATION) throw invalid('overflows a Go duration');
    rest = rest.slice(matched.length);
  }
  return Number(negative ? -total : total);
}

export function parseDockerRunArgs(argv: readonly string[]): ParsedDockerRun {
  if (argv[0] !== 'docker' || argv[1] !== 'run') throw new Error('not a docker run command');
  const draft: Draft = { config: {}, host: {}, endpoint: {}, health: {}, noHealthcheck: false };
  let index = 2;
  for (; index < argv.length; index++) {
    const arg = argv[index] ?? '';
    // The image is the first word that is not a flag; everything after it is the command.
    if (!arg.startsWith('-')) break;
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    const inline = equals === -1 ? undefined : arg.slice(equals + 1);
    const valueFlag = VALUE_FLAGS.get(flag);
    if (valueFlag !== undefined) {
      // As in docker, the next word is the value even when it starts with a dash.
      const value = inline ?? argv[++index];
      if (value === undefined) throw new Error(`docker run flag ${flag} needs a value`);
      valueFlag(draft, value, flag);
      continue;
    }
    const switchFlag = SWITCH_FLAGS.get(flag);
    if (switchFlag === undefined) throw new Error(`unsupported docker run flag: ${flag}`);
    switchFlag(draft, inline === undefined ? true : parseBool(flag, inline));
  }
  const image = argv[index];
  if (image === undefined || image === '') throw new Error('docker run needs an image');
  return { name: draft.name, body: buildBody(draft, image, argv.slice(index + 1)) };
}

function buildBody(draft: Draft, image: string, command: string[]): ParsedCreateBody {
  const body: ParsedCreateBody = { ...draft.config, Image: image, HostConfig: draft.host };
  // docker sends [''] for an empty --entrypoint; the engine reads it as "no entrypoint" and,
  // unlike an absent one, does not fall back to the image's Cmd.
  if (draft.entrypoint !== undefined) body.Entrypoint = [draft.entrypoint];
  if (command.length > 0) body.Cmd = command;
  const hasHealth = Object.keys(draft.health).length > 0;
  if (draft.noHealthcheck && hasHealth) {
    throw new Error('--no-healthcheck conflicts with --health-* options');
  }
  if (draft.noHealthcheck) body.Healthcheck = { Test: ['NONE'] };
  else if (hasHealth) body.Healthcheck = draft.health;
  const restarts = !['', 'no'].includes(draft.host.RestartPolicy?.Name ?? '');
  if (draft.host.AutoRemove === true && restarts) throw new Error('conflicting --restart and --rm');
  if (Object.keys(draft.endpoint).length > 0) {
    const mode = draft.host.NetworkMode;
    if (mode === undefined) throw new Error('--ip, --ip6 and --network-alias need --network');
    body.NetworkingConfig = { EndpointsConfig: { [mode]: draft.endpoint } };
  }
  return body;
}

const VALUE_FLAGS = new Map<string, ValueFlag>([
  ['--name', (d, v) => (d.name = v)],
  ['--hostname', (d, v) => (d.config.Hostname = v)],
  ['--domainname', (d, v) => (d.config.Domainname = v)],
  ['--user', (d, v) => (d.config.User = v)],
  ['--workdir', (d, v) => (d.config.WorkingDir = v)],
  ['--env', (d, v) => (d.config.Env ??= []).push(envEntry(v))],
  ['--label', (d, v) => addLabel(d, v)],
  ['--publish', (d, v) => addPublish(d, v)],
  ['--volume', (d, v) => addVolume(d, v)],
  ['--mount', (d, v) => (d.host.Mounts ??= []).push(parseMount(v))],
  ['--tmpfs', (d, v) => addTmpfs(d, v)],
  ['--network', (d, v) => setNetwork(d, v)],
  ['--ip', (d, v, f) => ((d.endpoint.IPAMConfig ??= {}).IPv4Address = ipAddress(f, v, 4))],
  ['--ip6', (d, v, f) => ((d.endpoint.IPAMConfig ??= {}).IPv6Address = ipAddress(f, v, 6))],
  ['--network-alias', (d, v) => (d.endpoint.Aliases ??= []).push(v)],
  ['--restart', (d, v) => (d.host.RestartPolicy = restartPolicy(v))],
  ['--memory', (d, v, f) => (d.host.Memory = ramInBytes(f, v))],
  ['--memory-reservation', (d, v, f) => (d.host.MemoryReservation = ramInBytes(f, v))],
  // -1 is how docker spells unlimited swap; any other value is a size.
  ['--memory-swap', (d, v, f) => (d.host.MemorySwap = v === '-1' ? -1 : ramInBytes(f, v))],
  ['--cpus', (d, v, f) => (d.host.NanoCpus = nanoCpus(f, v))],
  ['--cpu-shares', (d, v, f) => (d.host.CpuShares = integer(f, v, 0))],
  // -1 and 0 both mean unlimited to the engine.
  ['--pids-limit', (d, v, f) => (d.host.PidsLimit = integer(f, v, -1))],
  ['--health-cmd', (d, v) => setHealthCommand(d, v)],
  ['--health-interval', (d, v, f) => (d.health.Interval = healthDuration(f, v))],
  ['--health-timeout', (d, v, f) => (d.health.Timeout = healthDuration(f, v))],
  ['--health-start-period', (d, v, f) => (d.health.StartPeriod = healthDuration(f, v))],
  ['--health-retries', (d, v, f) => (d.health.Retries = integer(f, v, 0))],
  ['--cap-add', (d, v) => (d.host.CapAdd ??= []).push(v)],
  ['--cap-drop', (d, v) => (d.host.CapDrop ??= []).push(v)],
  ['--device', (d, v) => (d.host.Devices ??= []).push(parseDevice(v))],
  ['--log-driver', (d, v) => ((d.host.LogConfig ??= { Type: '' }).Type = v)],
  ['--log-opt', (d, v) => addLogOption(d, v)],
  ['--entrypoint', (d, v) => (d.entrypoint = v)],
  ['--stop-signal', (d, v) => (d.config.StopSignal = v)],
  ['--stop-timeout', (d, v, f) => (d.config.StopTimeout = integer(f, v, -1))],
]);

const SWITCH_FLAGS = new Map<string, SwitchFlag>([
  // Berth always creates detached, so the flag carries nothing to keep.
  ['--detach', () => undefined],
  ['-d', () => undefined],
  ['--no-healthcheck', (d, on) => (d.noHealthcheck = on)],
  ['--privileged', (d, on) => (d.host.Privileged = on)],
  ['--tty', (d, on) => (d.config.Tty = on)],
  ['--interactive', (d, on) => (d.config.OpenStdin = on)],
  ['--init', (d, on) => (d.host.Init = on)],
  ['--read-only', (d, on) => (d.host.ReadonlyRootfs = on)],
  ['--rm', (d, on) => (d.host.AutoRemove = on)],
]);

/** Go's strconv.ParseBool, which docker uses for `--flag=value` on its switches. */
function parseBool(flag: string, value: string): boolean {
  if (/^(1|t|T|true|TRUE|True)$/.test(value)) return true;
  if (/^(0|f|F|false|FALSE|False)$/.test(value)) return false;
  throw new Error(`${flag} takes true or false, got ${JSON.stringify(value)}`);
}

function integer(flag: string, value: string, min: number): number {
  const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    throw new Error(
      `${flag} needs a whole number of at least ${min}, got ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

/** go-units' RAMInBytes: `512m`, `1.5g`, or plain bytes, all in powers of 1024. */
function ramInBytes(flag: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?) ?([kmgtp]?)i?b?$/i.exec(value);
  if (match === null) {
    throw new Error(`${flag} needs a size such as 512m, got ${JSON.stringify(value)}`);
  }
  const power = ' kmgtp'.indexOf((match[2] ?? '').toLowerCase() || ' ');
  return Math.trunc(Number(match[1]) * 1024 ** power);
}

/** docker takes --cpus as an exact decimal and refuses what is not a whole nanocpu. */
function nanoCpus(flag: string, value: string): number {
  const match = /^(\d*)(?:\.(\d*))?$/.exec(value);
  const whole = match?.[1] ?? '';
  const fraction = (match?.[2] ?? '').replace(/0+$/, '');
  if (match === null || (whole === '' && (match[2] ?? '') === '') || fraction.length > 9) {
    throw new Error(`${flag} needs a decimal with at most 9 places, got ${JSON.stringify(value)}`);
  }
  return Number(whole === '' ? '0' : whole) * 1e9 + Number(fraction.padEnd(9, '0'));
}

function healthDuration(flag: string, value: string): number {
  const nanoseconds = parseGoDuration(value);
  if (nanoseconds < 0) throw new Error(`${flag} cannot be negative`);
  return nanoseconds;
}

function setHealthCommand(draft: Draft, command: string): void {
  // docker runs --health-cmd through the shell; an empty one leaves the image's test alone.
  if (command === '') delete draft.health.Test;
  else draft.health.Test = ['CMD-SHELL', command];
}

function envEntry(entry: string): string {
  // docker would copy a bare name's value from the caller's environment. Here that would
  // leak the server's own environment into the container, so the value must be spelled out.
  if (!entry.includes('=')) throw new Error(`--env ${entry} needs a value: use ${entry}=value`);
  return entry;
}

/** Adds an entry as an own property, so a key such as `__proto__` is kept, not swallowed. */
function withEntry<T>(record: Record<string, T> | null | undefined, key: string, value: T) {
  return { ...record, [key]: value };
}

/** Splits at the first `=`, as docker does for labels and log options. */
function keyValue(text: string): [string, string | undefined] {
  const equals = text.indexOf('=');
  return equals === -1 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)];
}

function addLabel(draft: Draft, text: string): void {
  const [key, value = ''] = keyValue(text);
  draft.config.Labels = withEntry(draft.config.Labels, key, value);
}

function addLogOption(draft: Draft, text: string): void {
  const [key, value] = keyValue(text);
  if (value === undefined) throw new Error(`--log-opt needs key=value: ${text}`);
  const log = (draft.host.LogConfig ??= { Type: '' });
  log.Config = withEntry(log.Config, key, value);
}

function addTmpfs(draft: Draft, text: string): void {
  const colon = text.indexOf(':');
  const [path, options] = colon === -1 ? [text, ''] : [text.slice(0, colon), text.slice(colon + 1)];
  draft.host.Tmpfs = withEntry(draft.host.Tmpfs, path, options);
}

function addVolume(draft: Draft, spec: string): void {
  // A lone container path asks for an anonymous volume, which docker sends as Volumes.
  if (spec.includes(':')) (draft.host.Binds ??= []).push(spec);
  else draft.config.Volumes = withEntry(draft.config.Volumes, spec, {});
}

function setNetwork(draft: Draft, network: string): void {
  // One run joins one network; further ones are `docker network connect` afterwards.
  if (draft.host.NetworkMode !== undefined) throw new Error('only one --network is supported');
  draft.host.NetworkMode = network;
}

function ipAddress(flag: string, value: string, family: 4 | 6): string {
  if (isIP(value) !== family) throw new Error(`${flag} needs an IPv${family} address: ${value}`);
  return value;
}

/** `[ip:]hostPort:containerPort[/proto]`, `ip::containerPort` or `containerPort[/proto]`. */
function addPublish(draft: Draft, spec: string): void {
  const invalid = (why: string) => new Error(`invalid --publish ${JSON.stringify(spec)}: ${why}`);
  const parts = spec.split(':');
  const containerPart = parts.pop() ?? '';
  const hostPort = parts.pop() ?? '';
  // An unbracketed IPv6 address leaves its own colons among the leading parts.
  let hostIp = parts.join(':');
  if (hostIp.startsWith('[') && hostIp.endsWith(']')) hostIp = hostIp.slice(1, -1);
  if (hostIp !== '' && isIP(hostIp) === 0) throw invalid(`${hostIp} is not an IP address`);
  if (!/^(\d+(-\d+)?)?$/.test(hostPort)) throw invalid('bad host port');
  const slash = containerPart.indexOf('/');
  const port = slash === -1 ? containerPart : containerPart.slice(0, slash);
  const protocol = slash === -1 ? 'tcp' : containerPart.slice(slash + 1).toLowerCase();
  if (!/^\d+$/.test(port) || Number(port) > 65535) throw invalid('bad container port');
  if (!['tcp', 'udp', 'sctp'].includes(protocol)) throw invalid(`unknown protocol ${protocol}`);
  const key = `${Number(port)}/${protocol}`;
  (draft.config.ExposedPorts ??= {})[key] = {};
  const bindings = (draft.host.PortBindings ??= {});
  (bindings[key] ??= []).push({ HostIp: hostIp, HostPort: hostPort });
}

const RESTART_NAMES = ['', 'no', 'always', 'unless-stopped', 'on-failure'] as const;
const MOUNT_TYPES = ['bind', 'volume', 'tmpfs'] as const;

function oneOf<T extends string>(choices: readonly T[], value: string): value is T {
  return (choices as readonly string[]).includes(value);
}

function restartPolicy(text: string): RawRestartPolicy {
  const colon = text.indexOf(':');
  const name = colon === -1 ? text : text.slice(0, colon);
  if (!oneOf(RESTART_NAMES, name)) throw new Error(`unknown --restart policy: ${name}`);
  if (colon === -1) return { Name: name };
  if (name !== 'on-failure') throw new Error(`--restart ${name} takes no retry count`);
  return { Name: name, MaximumRetryCount: integer('--restart', text.slice(colon + 1), 0) };
}

function validDeviceMode(mode: string): boolean {
  return /^[rwm]+$/.test(mode) && new Set(mode).size === mode.length;
}

/** docker's parseDevice: `host[:container][:permissions]`. */
function parseDevice(spec: string): RawDeviceMapping {
  const parts = spec.split(':');
  const [host = '', second = '', third] = parts;
  // Of two parts, docker takes the second for permissions whenever it reads as them.
  const secondIsMode = third === undefined && validDeviceMode(second);
  const permissions = third ?? (secondIsMode ? second : 'rwm');
  if (parts.length > 3 || host === '' || !validDeviceMode(permissions)) {
    throw new Error(`invalid --device ${spec}`);
  }
  const container = secondIsMode || second === '' ? host : second;
  return { PathOnHost: host, PathInContainer: container, CgroupPermissions: permissions };
}

/** One CSV record, as docker reads --mount: a quoted field may hold commas and `""`. */
function csvRecord(text: string): string[] {
  const field = /(?:"((?:[^"]|"")*)"|([^,"]*))(,|$)/y;
  const fields: string[] = [];
  for (;;) {
    const match = field.exec(text);
    if (match === null) throw new Error(`invalid quoting in --mount ${JSON.stringify(text)}`);
    fields.push(match[1]?.replaceAll('""', '"') ?? match[2] ?? '');
    if (match[3] === '') return fields;
  }
}

/** docker reads tmpfs-mode as octal, as chmod does. */
function octal(value: string): number {
  if (!/^[0-7]+$/.test(value)) throw new Error(`--mount tmpfs-mode needs an octal mode: ${value}`);
  return parseInt(value, 8);
}

function parseMount(text: string): Mount {
  let type = 'volume';
  let source: string | undefined;
  let target = '';
  let readOnly = false;
  const tmpfs: { SizeBytes?: number; Mode?: number } = {};
  for (const field of csvRecord(text)) {
    const [rawKey, value] = keyValue(field);
    const key = rawKey.toLowerCase();
    if (key === 'readonly' || key === 'ro') {
      readOnly = value === undefined ? true : parseBool(`--mount ${key}`, value);
      continue;
    }
    if (value === undefined) throw new Error(`--mount ${key} needs a value`);
    if (key === 'type') type = value;
    else if (key === 'source' || key === 'src') source = value;
    else if (key === 'target' || key === 'destination' || key === 'dst') target = value;
    else if (key === 'tmpfs-size') tmpfs.SizeBytes = ramInBytes('--mount tmpfs-size', value);
    else if (key === 'tmpfs-mode') tmpfs.Mode = octal(value);
    else throw new Error(`unsupported --mount option: ${key}`);
  }
  if (!oneOf(MOUNT_TYPES, type)) throw new Error(`unsupported --mount type: ${type}`);
  if (target === '') throw new Error(`--mount needs a target: ${text}`);
  const hasTmpfsOptions = Object.keys(tmpfs).length > 0;
  if (hasTmpfsOptions && type !== 'tmpfs') {
    throw new Error(`--mount tmpfs-* options need type=tmpfs: ${text}`);
  }
  return {
    Type: type,
    ...(source === undefined ? {} : { Source: source }),
    Target: target,
    ...(readOnly ? { ReadOnly: true } : {}),
    ...(hasTmpfsOptions ? { TmpfsOptions: tmpfs } : {}),
  };
}
