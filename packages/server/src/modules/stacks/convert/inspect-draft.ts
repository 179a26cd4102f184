import { formatSize, type MountSpec } from '@berth/contract';
import type { RawContainerInspect, RawImageInspect } from '../../../docker/engine-types.js';
import { specFromInspect } from '../../containers/container-spec.js';
import type { EngineDefaults } from '../../containers/docker-run/docker-run-defaults.js';
import { goDuration } from '../../containers/docker-run/docker-run-format.js';
import { appendField, emptyDraft, type ServiceDraft, setEntry, warn } from './run-draft.js';

/**
 * The draft of a service from a container that exists: what the create form knows comes from
 * specFromInspect (image defaults left out); the rest from the inspect, leaving out what the
 * engine or the image filled in, so the file keeps what the user chose.
 */
export function draftFromInspect(
  inspect: RawContainerInspect,
  image: RawImageInspect | undefined,
  defaults: EngineDefaults,
  environment: string | null,
): ServiceDraft {
  const draft = emptyDraft();
  const spec = specFromInspect(inspect, image);
  const host = inspect.HostConfig;
  const mode = host.NetworkMode ?? '';
  if (mode.startsWith('container:')) spec.networks = [{ name: mode }];
  // In a shared UTS namespace the hostname is the host's or the other container's.
  if (mode === 'host' || mode.startsWith('container:') || host.UTSMode === 'host')
    delete spec.hostname;
  if (spec.logConfig?.driver === defaults.loggingDriver && !hasEntries(spec.logConfig.options))
    delete spec.logConfig;
  // The engine drops the image's command when an entrypoint is given, so a command equal to
  // the image's is the container's own once its entrypoint is.
  const command = inspect.Config.Cmd ?? [];
  if (spec.entrypoint && spec.command === undefined && command.length > 0) spec.command = command;
  if (environment) spec.environment = environment;
  else delete spec.environment;
  spec.ports = [...(spec.ports ?? [])].sort(
    (a, b) => a.protocol.localeCompare(b.protocol) || a.containerPort - b.containerPort,
  );
  spec.mounts = [...(spec.mounts ?? []), ...anonymousVolumes(inspect, image)];
  draft.spec = spec;
  processFields(draft, inspect, image);
  hostFields(draft, inspect, defaults);
  platformField(draft, image, defaults);
  return draft;
}

function hasEntries(map: Record<string, string> | null | undefined): boolean {
  return Object.keys(map ?? {}).length > 0;
}

/** `-v /path` makes an anonymous volume: in Config.Volumes, not among the image's own. */
function anonymousVolumes(inspect: RawContainerInspect, image?: RawImageInspect): MountSpec[] {
  const imageVolumes = new Set(Object.keys(image?.Config.Volumes ?? {}));
  const mounted = new Set([
    ...(inspect.HostConfig.Mounts ?? []).map((m) => m.Target),
    ...(inspect.HostConfig.Binds ?? []).map((b) => b.split(':')[1]),
  ]);
  return Object.keys(inspect.Config.Volumes ?? {})
    .filter((target) => !imageVolumes.has(target) && !mounted.has(target))
    .map((target) => ({ type: 'volume', target, readOnly: false }));
}

function processFields(draft: ServiceDraft, inspect: RawContainerInspect, image?: RawImageInspect) {
  const { Config: config, HostConfig: host } = inspect;
  const fields = draft.compose;
  if (config.Domainname) fields.domainname = config.Domainname;
  if (config.Tty) fields.tty = true;
  if (config.OpenStdin) fields.stdin_open = true;
  if (host.Init === true) fields.init = true;
  if (host.ReadonlyRootfs) fields.read_only = true;
  if (config.StopSignal && config.StopSignal !== image?.Config.StopSignal)
    fields.stop_signal = config.StopSignal;
  const start = config.Healthcheck?.StartInterval ?? 0;
  if (start > 0 && start !== image?.Config.Healthcheck?.StartInterval)
    setEntry(draft, 'healthcheck', 'start_interval', goDuration(start));
  const implied = new Set([
    ...Object.keys(host.PortBindings ?? {}),
    ...Object.keys(image?.Config.ExposedPorts ?? {}),
  ]);
  for (const key of Object.keys(config.ExposedPorts ?? {})) {
    if (!implied.has(key)) appendField(draft, 'expose', key.replace(/\/tcp$/, ''));
  }
  const name = inspect.Name.replace(/^\//, '');
  if (host.AutoRemove) warn(draft, name, 'removed when it stops (--rm): compose keeps containers');
  if (host.PublishAllPorts)
    warn(draft, name, 'publishes every exposed port (-P): list them under ports');
  if (host.VolumeDriver) warn(draft, name, `volume driver ${host.VolumeDriver}: set it per volume`);
}

/** Namespace modes specFromInspect leaves to the engine, when they are not the engine's default. */
function namespaceFields(
  draft: ServiceDraft,
  inspect: RawContainerInspect,
  defaults: EngineDefaults,
) {
  const host = inspect.HostConfig;
  const ipc = host.IpcMode ?? '';
  if (ipc !== '' && ipc !== defaults.ipcMode && draft.spec.ipcMode === undefined)
    draft.spec.ipcMode = ipc;
  const cgroupns = host.CgroupnsMode ?? '';
  if (cgroupns !== '' && defaults.cgroupnsMode !== undefined && cgroupns !== defaults.cgroupnsMode)
    draft.compose.cgroup = cgroupns;
  // A legacy link is kept as `/target:/container/alias`; compose writes `target:alias`.
  for (const link of host.Links ?? []) {
    const [target = '', path = ''] = link.split(':');
    const name = target.replace(/^\//, '');
    const alias = path.slice(path.lastIndexOf('/') + 1);
    appendField(
      draft,
      'external_links',
      alias === '' || alias === name ? name : `${name}:${alias}`,
    );
  }
}

/** The platform asked for, when the image is not of the engine's own. */
function platformField(
  draft: ServiceDraft,
  image: RawImageInspect | undefined,
  defaults: EngineDefaults,
) {
  if (!image?.Os || !image.Architecture || defaults.platform === undefined) return;
  const platform = `${image.Os}/${image.Architecture}`;
  if (platform !== defaults.platform)
    draft.compose.platform = image.Variant ? `${platform}/${image.Variant}` : platform;
}

function hostFields(draft: ServiceDraft, inspect: RawContainerInspect, defaults: EngineDefaults) {
  const host = inspect.HostConfig;
  const fields = draft.compose;
  const shm = host.ShmSize ?? 0;
  if (shm > 0 && shm !== defaults.shmSizeBytes) fields.shm_size = formatSize(shm);
  for (const [path, options] of Object.entries(host.Tmpfs ?? {}))
    appendField(draft, 'tmpfs', options === '' ? path : `${path}:${options}`);
  for (const { Name, Soft, Hard } of host.Ulimits ?? [])
    setEntry(draft, 'ulimits', Name, Soft === Hard ? Soft : { soft: Soft, hard: Hard });
  const lists = [
    ['dns', host.Dns],
    ['dns_search', host.DnsSearch],
    ['dns_opt', host.DnsOptions],
    ['extra_hosts', host.ExtraHosts],
    ['group_add', host.GroupAdd],
    ['device_cgroup_rules', host.DeviceCgroupRules],
  ] as const;
  for (const [key, values] of lists) if (values?.length) fields[key] = [...values];
  for (const from of host.VolumesFrom ?? [])
    appendField(draft, 'volumes_from', `container:${from}`);
  const memory = host.Memory ?? 0;
  const swap = host.MemorySwap ?? 0;
  if (memory > 0 && swap !== 0 && swap !== memory * 2)
    fields.memswap_limit = swap > 0 ? formatSize(swap) : String(swap);
  if (host.MemoryReservation) fields.mem_reservation = formatSize(host.MemoryReservation);
  if (host.CpuShares) fields.cpu_shares = host.CpuShares;
  if (host.CpuPeriod) fields.cpu_period = host.CpuPeriod;
  if (host.CpuQuota) fields.cpu_quota = host.CpuQuota;
  if (typeof host.MemorySwappiness === 'number' && host.MemorySwappiness >= 0)
    fields.mem_swappiness = host.MemorySwappiness;
  if (host.BlkioWeight) setEntry(draft, 'blkio_config', 'weight', host.BlkioWeight);
  if (host.CpusetCpus) fields.cpuset = host.CpusetCpus;
  if (host.OomKillDisable === true) fields.oom_kill_disable = true;
  if (host.OomScoreAdj) fields.oom_score_adj = host.OomScoreAdj;
  if (host.CgroupParent) fields.cgroup_parent = host.CgroupParent;
  if (host.Runtime && host.Runtime !== defaults.runtime) fields.runtime = host.Runtime;
  namespaceFields(draft, inspect, defaults);
  if (host.StorageOpt && hasEntries(host.StorageOpt)) fields.storage_opt = { ...host.StorageOpt };
  for (const request of host.DeviceRequests ?? []) {
    const count = request.Count === -1 ? 'all' : (request.Count ?? 1);
    appendField(draft, 'x-gpus', {
      ...(request.Driver ? { driver: request.Driver } : {}),
      count,
      capabilities: ['gpu'],
    });
  }
}
