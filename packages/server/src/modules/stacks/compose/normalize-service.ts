import type { ComposeService } from '@berth/contract';
import { DotenvError, parseDotenv } from './dotenv.js';
import type { Lookup } from './interpolate.js';
import { isRemoteContext } from './file-paths.js';
import { isMap, listOrDict } from './merge.js';
import { parsePort, PortSyntaxError } from './ports.js';
import { parseLongVolume, parseShortVolume, VolumeSyntaxError } from './service-volumes.js';
import {
  deployment,
  devices,
  extraHosts,
  healthcheck,
  NOT_SUPPORTED,
  stringList,
  stringMap,
  ulimits,
  words,
  type Report,
} from './service-parts.js';
import { SWARM_IGNORED, SWARM_IGNORED_KEYS, swarmDeploy } from './swarm-deploy.js';
import { bool, bytes, duration, octalMode, text, ValueError } from './units.js';
import type { Json, JsonMap } from './yaml-load.js';

export interface ServiceContext {
  workingDir: string;
  /** The project's variables (global env < `.env`), for `environment` entries without a value. */
  lookup: Lookup;
  /** The text of each env file by absolute path (null: missing). */
  envFiles: ReadonlyMap<string, string | null>;
  report: Report;
  /** Loading for a swarm stack: `deploy` in full; keys swarm ignores are warned of, not refused. */
  swarm?: { ignored: Report };
}

/** Keys the compose spec defines that Berth does not carry; refused by name. */
export const UNSUPPORTED_SERVICE_KEYS = new Set([
  'develop',
  'annotations',
  'attach',
  'blkio_config',
  'cgroup',
  'cgroup_parent',
  'cpu_count',
  'cpu_percent',
  'cpu_shares',
  'cpu_quota',
  'cpu_period',
  'cpu_rt_period',
  'cpu_rt_runtime',
  'cpuset',
  'credential_spec',
  'device_cgroup_rules',
  'label_file',
  'external_links',
  'gpus',
  'isolation',
  'links',
  'mac_address',
  'mem_swappiness',
  'memswap_limit',
  'models',
  'oom_kill_disable',
  'oom_score_adj',
  'platform',
  'post_start',
  'pre_stop',
  'provider',
  'pull_refresh_after',
  'runtime',
  'storage_opt',
  'use_api_socket',
  'uts',
  'userns_mode',
  'volumes_from',
]);

const PLAIN_STRINGS = [
  'image',
  'container_name',
  'network_mode',
  'restart',
  'hostname',
  'domainname',
  'user',
  'working_dir',
  'pid',
  'ipc',
  'stop_signal',
] as const;
const BOOLEANS = ['init', 'read_only', 'privileged', 'stdin_open', 'tty'] as const;
const STRING_LISTS = [
  'cap_add',
  'cap_drop',
  'dns',
  'dns_search',
  'dns_opt',
  'security_opt',
  'group_add',
  'tmpfs',
  'profiles',
] as const;
const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;
const PULL_POLICIES = new Set(['always', 'never', 'missing', 'build', 'if_not_present']);
const BUILD_KEYS = new Set(['context', 'dockerfile', 'args', 'target', 'labels']);
const PORT_KEYS = new Set(['target', 'published', 'host_ip', 'protocol', 'mode', 'name']);
const NETWORK_KEYS = new Set(['aliases', 'ipv4_address', 'ipv6_address', 'priority']);

/** Runs one part of a service's normalization, reporting a bad value at its path instead of failing. */
function guarded(report: Report, rel: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    if (
      error instanceof ValueError ||
      error instanceof PortSyntaxError ||
      error instanceof VolumeSyntaxError
    ) {
      report(rel, error.message);
    } else throw error;
  }
}

/** One merged service in the long syntax of the canonical project. */
export function normalizeService(service: JsonMap, ctx: ServiceContext): ComposeService {
  const out = {
    environment: {},
    labels: {},
    ports: [],
    volumes: [],
    depends_on: {},
    scale: 1,
  } as ComposeService;
  const { report } = ctx;
  for (const key of Object.keys(service)) {
    if (ctx.swarm && SWARM_IGNORED_KEYS.has(key)) ctx.swarm.ignored(key, `${key} ${SWARM_IGNORED}`);
    else if (UNSUPPORTED_SERVICE_KEYS.has(key)) report(key, `${key} ${NOT_SUPPORTED}`);
  }
  for (const key of PLAIN_STRINGS) {
    const v = service[key];
    if (v !== undefined && v !== null) out[key] = text(v);
  }
  if (out.restart !== undefined && !RESTART.test(out.restart)) {
    report(
      'restart',
      `"${out.restart}" is not no, always, unless-stopped or on-failure[:max-retries]`,
    );
    delete out.restart;
  }
  for (const key of BOOLEANS) {
    const v = service[key];
    if (v !== undefined && v !== null) guarded(report, key, () => (out[key] = bool(v)));
  }
  for (const key of STRING_LISTS) {
    const list = stringList(service[key]);
    if (list) out[key] = list;
  }
  guarded(report, 'build', () => build(service.build, out, report));
  if (service.pull_policy !== undefined) {
    const policy = text(service.pull_policy);
    if (PULL_POLICIES.has(policy)) out.pull_policy = policy as ComposeService['pull_policy'];
    else report('pull_policy', `pull_policy "${policy}" ${NOT_SUPPORTED}`);
  }
  for (const key of ['command', 'entrypoint'] as const) {
    if (service[key] !== undefined)
      guarded(report, key, () => (out[key] = words(service[key] ?? null)));
  }
  guarded(report, 'environment', () => (out.environment = environment(service, ctx)));
  guarded(report, 'labels', () => (out.labels = stringMap(service.labels)));
  if (Array.isArray(service.ports)) {
    service.ports.forEach((port, i) =>
      guarded(report, `ports[${i}]`, () => {
        for (const key of isMap(port) ? Object.keys(port) : []) {
          if (!PORT_KEYS.has(key) && !key.startsWith('x-'))
            report(`ports[${i}].${key}`, `ports[${i}].${key} ${NOT_SUPPORTED}`);
        }
        out.ports.push(...parsePort(port));
      }),
    );
  }
  if (Array.isArray(service.expose)) out.expose = service.expose.map(text);
  if (Array.isArray(service.volumes)) {
    service.volumes.forEach((entry, i) =>
      guarded(report, `volumes[${i}]`, () => {
        if (typeof entry === 'string') out.volumes.push(parseShortVolume(entry, ctx.workingDir));
        else if (isMap(entry)) {
          for (const key of ['consistency'])
            if (entry[key] !== undefined)
              report(`volumes[${i}].${key}`, `volumes[${i}].${key} ${NOT_SUPPORTED}`);
          if (
            isMap(entry.bind) &&
            (entry.bind.recursive !== undefined || entry.bind.selinux !== undefined)
          ) {
            report(
              `volumes[${i}].bind`,
              `volumes[${i}].bind.recursive and .selinux ${NOT_SUPPORTED}`,
            );
          }
          if (isMap(entry.volume) && entry.volume.labels !== undefined)
            report(`volumes[${i}].volume.labels`, `volumes[${i}].volume.labels ${NOT_SUPPORTED}`);
          out.volumes.push(parseLongVolume(entry, ctx.workingDir));
        }
      }),
    );
  }
  if (service.networks !== undefined && service.networks !== null)
    networks(service.networks, out, report);
  guarded(report, 'depends_on', () => (out.depends_on = dependsOn(service.depends_on)));
  if (isMap(service.healthcheck)) {
    const spec = service.healthcheck;
    guarded(report, 'healthcheck', () => (out.healthcheck = healthcheck(spec, report)));
  }
  guarded(report, 'deploy', () => deployment(service, out, report, ctx.swarm !== undefined));
  if (ctx.swarm && isMap(service.deploy)) {
    const rest = swarmDeploy(service.deploy, report);
    if (Object.keys(rest).length > 0) out.deploy = { ...out.deploy, ...rest };
  }
  if (isMap(service.ulimits)) {
    const spec = service.ulimits;
    guarded(report, 'ulimits', () => (out.ulimits = ulimits(spec)));
  }
  if (service.sysctls !== undefined)
    guarded(report, 'sysctls', () => (out.sysctls = stringMap(service.sysctls)));
  if (Array.isArray(service.devices)) {
    const list = service.devices;
    guarded(report, 'devices', () => (out.devices = devices(list)));
  }
  if (service.extra_hosts !== undefined && service.extra_hosts !== null) {
    out.extra_hosts = extraHosts(service.extra_hosts);
  }
  if (service.shm_size !== undefined)
    guarded(report, 'shm_size', () => (out.shm_size = bytes(service.shm_size ?? null)));
  if (service.stop_grace_period !== undefined) {
    guarded(
      report,
      'stop_grace_period',
      () => (out.stop_grace_period = duration(service.stop_grace_period ?? null)),
    );
  }
  if (isMap(service.logging)) {
    const { driver, options } = service.logging;
    out.logging = {
      ...(driver === undefined ? {} : { driver: text(driver) }),
      ...(isMap(options) ? { options: stringMap(options) } : {}),
    };
  }
  for (const key of ['secrets', 'configs'] as const) {
    const refs = service[key];
    if (Array.isArray(refs)) guarded(report, key, () => (out[key] = fileRefs(refs)));
  }
  return out;
}

function build(value: Json | undefined, out: ComposeService, report: Report): void {
  if (value === undefined || value === null) return;
  const spec: JsonMap = isMap(value) ? value : { context: value };
  const context = text(spec.context ?? ctxDot);
  if (isRemoteContext(context)) {
    report('build.context', `build.context with a remote repository ${NOT_SUPPORTED}`);
    return;
  }
  out.build = { context };
  if (spec.dockerfile !== undefined) out.build.dockerfile = text(spec.dockerfile);
  if (spec.target !== undefined) out.build.target = text(spec.target);
  if (spec.args !== undefined) {
    const args = listOrDict(spec.args);
    out.build.args = Object.fromEntries(
      Object.entries(args).map(([k, v]) => [k, v === null ? null : text(v)]),
    );
  }
  if (spec.labels !== undefined) out.build.labels = stringMap(spec.labels);
  for (const key of Object.keys(spec)) {
    if (!BUILD_KEYS.has(key) && !key.startsWith('x-'))
      report(`build.${key}`, `build.${key} ${NOT_SUPPORTED}`);
  }
}
const ctxDot = '.';

function environment(service: JsonMap, ctx: ServiceContext): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  const files =
    service.env_file === undefined
      ? []
      : Array.isArray(service.env_file)
        ? service.env_file
        : [service.env_file];
  files.forEach((entry, i) => {
    const file = isMap(entry) ? text(entry.path ?? null) : text(entry);
    const required = isMap(entry) && entry.required !== undefined ? bool(entry.required) : true;
    if (isMap(entry) && entry.format !== undefined)
      ctx.report(`env_file[${i}].format`, `env_file[${i}].format ${NOT_SUPPORTED}`);
    const content = ctx.envFiles.get(file);
    if (content === null || content === undefined) {
      if (required) ctx.report(`env_file[${i}]`, `env_file ${file} does not exist`);
      return;
    }
    try {
      Object.assign(env, parseDotenv(content, ctx.lookup));
    } catch (error) {
      if (!(error instanceof DotenvError)) throw error;
      ctx.report(`env_file[${i}]`, `env_file ${file}: ${error.message}`);
    }
  });
  for (const [key, value] of Object.entries(listOrDict(service.environment))) {
    // A variable named without a value takes the project's, and stays unset when it has none.
    env[key] = value === null ? (ctx.lookup(key) ?? null) : text(value);
  }
  return env;
}

function networks(value: Json, out: ComposeService, report: Report): void {
  const entries: JsonMap = Array.isArray(value)
    ? Object.fromEntries(value.map((n) => [text(n), null]))
    : isMap(value)
      ? value
      : {};
  const result: NonNullable<ComposeService['networks']> = {};
  for (const [name, spec] of Object.entries(entries)) {
    if (!isMap(spec)) {
      result[name] = null;
      continue;
    }
    const net: NonNullable<NonNullable<ComposeService['networks']>[string]> = {};
    if (Array.isArray(spec.aliases)) net.aliases = spec.aliases.map(text);
    if (spec.ipv4_address !== undefined) net.ipv4_address = text(spec.ipv4_address);
    if (spec.ipv6_address !== undefined) net.ipv6_address = text(spec.ipv6_address);
    if (typeof spec.priority === 'number') net.priority = spec.priority;
    for (const key of Object.keys(spec)) {
      if (!NETWORK_KEYS.has(key) && !key.startsWith('x-'))
        report(`networks.${name}.${key}`, `networks.${name}.${key} ${NOT_SUPPORTED}`);
    }
    result[name] = net;
  }
  out.networks = result;
}

function dependsOn(value: Json | undefined): ComposeService['depends_on'] {
  const out: ComposeService['depends_on'] = {};
  if (Array.isArray(value)) {
    for (const name of value) out[text(name)] = { condition: 'service_started', required: true };
    return out;
  }
  if (!isMap(value)) return out;
  for (const [name, spec] of Object.entries(value)) {
    const dep = isMap(spec) ? spec : {};
    const condition = text(
      dep.condition ?? 'service_started',
    ) as ComposeService['depends_on'][string]['condition'];
    out[name] = {
      condition,
      required: dep.required === undefined ? true : bool(dep.required),
      ...(dep.restart === undefined ? {} : { restart: bool(dep.restart) }),
    };
  }
  return out;
}

function fileRefs(refs: Json[]): NonNullable<ComposeService['secrets']> {
  return refs.map((ref) => {
    if (!isMap(ref)) return { source: text(ref) };
    return {
      source: text(ref.source ?? null),
      ...(ref.target === undefined ? {} : { target: text(ref.target) }),
      ...(ref.uid === undefined ? {} : { uid: text(ref.uid) }),
      ...(ref.gid === undefined ? {} : { gid: text(ref.gid) }),
      ...(ref.mode === undefined ? {} : { mode: octalMode(ref.mode) }),
    };
  });
}
