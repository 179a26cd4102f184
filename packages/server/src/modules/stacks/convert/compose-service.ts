import { type ContainerSpec, formatSize, type MountSpec } from '@berth/contract';
import { goDuration } from '../../containers/docker-run/docker-run-format.js';
import { ENVIRONMENT_LABEL, MANAGED_LABEL } from '../../containers/berth-labels.js';
import type { ComposeFields, ComposeValue, ServiceDraft } from './run-draft.js';
import { mountOptions } from './run-flags-storage.js';
import { compactPorts } from './compose-ports.js';

/**
 * A draft (a ContainerSpec and compose fields) as a service of a compose file, in the syntax
 * people write by hand: short ports and volumes, durations and sizes as text. The networks
 * and named volumes it uses are declared at the top level under their engine names, so the
 * stack reuses what the container used (networks as external: `docker run` needs them made).
 */

export interface ComposeFileService {
  service: ComposeFields;
  networks: ComposeFields;
  volumes: ComposeFields;
}

/** Labels the engine or compose give a container, never the user: not written back. */
const ENGINE_LABEL = /^com\.docker\.compose\./;
/** Network modes, not networks: `network_mode` in compose. */
const MODE = /^(host|none|container:.+|service:.+)$/;

const seconds = (value: number): string => goDuration(Math.round(value * 1e9));

/** The order a person reads a service in; fields not listed follow in the order given. */
const ORDER = [
  'image',
  'container_name',
  'hostname',
  'domainname',
  'platform',
  'pull_policy',
  'restart',
  'user',
  'working_dir',
  'entrypoint',
  'command',
  'environment',
  'env_file',
  'ports',
  'expose',
  'volumes',
  'tmpfs',
  'networks',
  'network_mode',
  'healthcheck',
  'labels',
];

export function composeService(draft: ServiceDraft): ComposeFileService {
  const { spec } = draft;
  const { environment, healthcheck, ports, volumes, labels, ...extras } = draft.compose;
  const service: ComposeFields = {};
  const put = (key: string, value: ComposeValue | undefined): void => {
    if (value !== undefined) service[key] = value;
  };
  put('image', spec.image);
  put('container_name', spec.name);
  put('hostname', spec.hostname);
  put('restart', restartOf(spec));
  put('user', spec.user);
  put('working_dir', spec.workingDir);
  put('entrypoint', spec.entrypoint);
  put('command', spec.command);
  put('environment', nonEmpty({ ...spec.env, ...asMap(environment) }));
  put('ports', nonEmptyList([...compactPorts(spec.ports ?? []), ...asList(ports)]));
  put('volumes', nonEmptyList([...(spec.mounts ?? []).map(volumeEntry), ...asList(volumes)]));
  const { networks, networkMode } = networksOf(spec);
  put('networks', networks);
  put('network_mode', networkMode);
  put('healthcheck', healthOf(spec, asMap(healthcheck)));
  put('labels', labelsOf(spec, asMap(labels)));
  put('cap_add', spec.capAdd);
  put('cap_drop', spec.capDrop);
  put('devices', spec.devices?.map(deviceEntry));
  put('privileged', spec.privileged);
  put('pid', spec.pidMode);
  put('ipc', spec.ipcMode);
  put('uts', spec.utsMode);
  put('userns_mode', spec.usernsMode);
  put('cgroup', spec.cgroupnsMode);
  put('security_opt', spec.securityOpt);
  put('sysctls', spec.sysctls);
  put(
    'stop_grace_period',
    spec.stopTimeoutS === undefined ? undefined : seconds(spec.stopTimeoutS),
  );
  put('logging', loggingOf(spec));
  const { 'x-gpus': gpus, ...rest } = extras;
  put('deploy', deployOf(spec, gpus));
  Object.assign(service, rest);
  return {
    service: ordered(service),
    networks: Object.fromEntries(
      Object.keys(asMap(networks ?? null)).map((name) => [name, { name, external: true }]),
    ),
    volumes: Object.fromEntries(
      (spec.mounts ?? []).flatMap((m) =>
        m.type === 'volume' && m.source ? [[m.source, { name: m.source }]] : [],
      ),
    ),
  };
}

function asMap(value: ComposeValue | undefined): Record<string, ComposeValue> {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function asList(value: ComposeValue | undefined): ComposeValue[] {
  return Array.isArray(value) ? value : [];
}

function nonEmpty(map: Record<string, ComposeValue>): Record<string, ComposeValue> | undefined {
  return Object.keys(map).length > 0 ? map : undefined;
}

function nonEmptyList(list: ComposeValue[]): ComposeValue[] | undefined {
  return list.length > 0 ? list : undefined;
}

function ordered(service: ComposeFields): ComposeFields {
  const rank = (key: string): number => {
    const at = ORDER.indexOf(key);
    return at < 0 ? ORDER.length : at;
  };
  return Object.fromEntries(Object.entries(service).sort(([a], [b]) => rank(a) - rank(b)));
}

function restartOf(spec: Partial<ContainerSpec>): string | undefined {
  const policy = spec.restartPolicy;
  if (!policy || policy.name === 'no') return undefined;
  return policy.maximumRetryCount ? `${policy.name}:${policy.maximumRetryCount}` : policy.name;
}

/** Short syntax: `source:target[:options]`; tmpfs with a size needs the long one. */
function volumeEntry(mount: MountSpec): ComposeValue {
  if (mount.type === 'tmpfs') {
    return {
      type: 'tmpfs',
      target: mount.target,
      ...(mount.sizeBytes ? { tmpfs: { size: mount.sizeBytes } } : {}),
    };
  }
  const options = [...(mount.readOnly ? ['ro'] : []), ...(mountOptions.get(mount) ?? [])];
  const source = mount.source;
  if (source === undefined) return mount.target;
  return [source, mount.target, ...(options.length ? [options.join(',')] : [])].join(':');
}

function deviceEntry(device: NonNullable<ContainerSpec['devices']>[number]): string {
  const target = device.containerPath ?? device.hostPath;
  const permissions = device.permissions === 'rwm' ? '' : `:${device.permissions}`;
  return `${device.hostPath}:${target}${permissions}`;
}

function networksOf(spec: Partial<ContainerSpec>): {
  networks?: ComposeValue;
  networkMode?: string;
} {
  const all = spec.networks ?? [];
  const mode = all.find((n) => MODE.test(n.name))?.name;
  if (mode) return { networkMode: mode };
  // The engine's bridge is the default a `docker run` gets; in a stack, the project's network is.
  const chosen = all.filter((n) => n.name !== 'bridge' && n.name !== 'default');
  if (chosen.length === 0) return {};
  const plain = chosen.every((n) => !n.aliases?.length && !n.ipv4Address);
  if (plain) return { networks: chosen.map((n) => n.name) };
  return {
    networks: Object.fromEntries(
      chosen.map((n) => {
        const settings = {
          ...(n.aliases?.length ? { aliases: n.aliases } : {}),
          ...(n.ipv4Address ? { ipv4_address: n.ipv4Address } : {}),
        };
        return [n.name, Object.keys(settings).length ? settings : null];
      }),
    ),
  };
}

function healthOf(
  spec: Partial<ContainerSpec>,
  extra: Record<string, ComposeValue>,
): ComposeValue | undefined {
  const health = spec.healthcheck;
  if (health?.test[0] === 'NONE') return { disable: true };
  const fields: Record<string, ComposeValue> = {};
  if (health?.test.length) fields.test = health.test;
  if (health?.intervalS) fields.interval = seconds(health.intervalS);
  if (health?.timeoutS) fields.timeout = seconds(health.timeoutS);
  if (health?.retries !== undefined) fields.retries = health.retries;
  if (health?.startPeriodS !== undefined) fields.start_period = seconds(health.startPeriodS);
  return nonEmpty({ ...fields, ...extra });
}

/** The user's labels; Berth's managed mark is the stack's to give, the environment tag stays. */
function labelsOf(
  spec: Partial<ContainerSpec>,
  extra: Record<string, ComposeValue>,
): ComposeValue | undefined {
  const labels: Record<string, ComposeValue> = {};
  for (const [key, value] of Object.entries({ ...spec.labels, ...extra })) {
    if (key !== MANAGED_LABEL && !ENGINE_LABEL.test(key)) labels[key] = value;
  }
  if (spec.environment) labels[ENVIRONMENT_LABEL] = spec.environment;
  return nonEmpty(labels);
}

function loggingOf(spec: Partial<ContainerSpec>): ComposeValue | undefined {
  const log = spec.logConfig;
  if (!log) return undefined;
  return {
    ...(log.driver ? { driver: log.driver } : {}),
    ...(log.options && Object.keys(log.options).length ? { options: log.options } : {}),
  };
}

function deployOf(
  spec: Partial<ContainerSpec>,
  gpus: ComposeValue | undefined,
): ComposeValue | undefined {
  const r = spec.resources;
  const limits = {
    ...(r?.cpus ? { cpus: String(r.cpus) } : {}),
    ...(r?.memoryBytes ? { memory: formatSize(r.memoryBytes) } : {}),
    ...(r?.pidsLimit ? { pids: r.pidsLimit } : {}),
  };
  const devices = asList(gpus);
  const resources = {
    ...(Object.keys(limits).length ? { limits } : {}),
    ...(devices.length ? { reservations: { devices } } : {}),
  };
  return Object.keys(resources).length ? { resources } : undefined;
}
