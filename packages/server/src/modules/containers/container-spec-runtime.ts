import type { ContainerSpec } from '@berth/contract';
import type { RawContainerCreateBody } from '../../docker/containers-api.js';
import type { RawContainerInspect, RawImageInspect } from '../../docker/engine-types.js';

/** Limits, name resolution and process options: set only when asked, so the engine's defaults hold. */
export function runtimeOptions(spec: ContainerSpec): Partial<RawContainerCreateBody['HostConfig']> {
  return {
    ...(spec.resources?.memoryReservationBytes
      ? { MemoryReservation: spec.resources.memoryReservationBytes }
      : {}),
    ...(spec.ulimits?.length
      ? { Ulimits: spec.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })) }
      : {}),
    ...(spec.extraHosts?.length ? { ExtraHosts: spec.extraHosts } : {}),
    ...(spec.dns?.length ? { Dns: spec.dns } : {}),
    ...(spec.dnsSearch?.length ? { DnsSearch: spec.dnsSearch } : {}),
    ...(spec.dnsOptions?.length ? { DnsOptions: spec.dnsOptions } : {}),
    ...(spec.init ? { Init: true } : {}),
    ...(spec.readOnly ? { ReadonlyRootfs: true } : {}),
    ...(spec.shmSizeBytes ? { ShmSize: spec.shmSizeBytes } : {}),
    ...(spec.groupAdd?.length ? { GroupAdd: spec.groupAdd } : {}),
  };
}

/** The engine's default /dev/shm size. */
const DEFAULT_SHM_BYTES = 64 * 1024 * 1024;

/** What `runtimeOptions` set, read back from an inspect; the engine's defaults left out. */
export function runtimeFromInspect(
  inspect: RawContainerInspect,
  image?: RawImageInspect,
): Partial<ContainerSpec> {
  const host = inspect.HostConfig;
  const config = inspect.Config;
  const nonEmpty = (list: string[] | null | undefined): list is string[] =>
    Array.isArray(list) && list.length > 0;
  const exposed = Object.keys(config.ExposedPorts ?? {}).filter(
    (key) => !(key in (host.PortBindings ?? {})) && !(key in (image?.Config.ExposedPorts ?? {})),
  );
  return {
    ...(exposed.length > 0 ? { expose: exposed } : {}),
    ...(host.Ulimits?.length
      ? { ulimits: host.Ulimits.map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard })) }
      : {}),
    ...(nonEmpty(host.ExtraHosts) ? { extraHosts: host.ExtraHosts } : {}),
    ...(nonEmpty(host.Dns) ? { dns: host.Dns } : {}),
    ...(nonEmpty(host.DnsSearch) ? { dnsSearch: host.DnsSearch } : {}),
    ...(nonEmpty(host.DnsOptions) ? { dnsOptions: host.DnsOptions } : {}),
    ...(host.Init ? { init: true } : {}),
    ...(host.ReadonlyRootfs ? { readOnly: true } : {}),
    ...(host.ShmSize && host.ShmSize !== DEFAULT_SHM_BYTES ? { shmSizeBytes: host.ShmSize } : {}),
    ...(nonEmpty(host.GroupAdd) ? { groupAdd: host.GroupAdd } : {}),
    ...(config.StopSignal && config.StopSignal !== (image?.Config.StopSignal ?? 'SIGTERM')
      ? { stopSignal: config.StopSignal }
      : {}),
    ...(config.Tty ? { tty: true } : {}),
    ...(config.OpenStdin ? { openStdin: true } : {}),
    ...(config.Domainname ? { domainname: config.Domainname } : {}),
  };
}
