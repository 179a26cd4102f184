import { formatSize } from '@berth/contract';
import type { EngineDefaults } from './docker-run-defaults.js';
import { csvRecord, repeated, withFraction } from './docker-run-format.js';
import type {
  RawBlkioDevice,
  RawDeviceRequest,
  RawHostConfig,
} from '../../../docker/engine-types.js';

/** The `docker run` flags for resource limits, block I/O, ulimits, devices and GPUs. */

function positive(flag: string, value: number | null | undefined): string[] {
  return typeof value === 'number' && value > 0 ? [flag, String(value)] : [];
}

/** A byte count as docker's units, the way a person types it (`--memory 64m`). */
function size(flag: string, value: number | null | undefined): string[] {
  return typeof value === 'number' && value > 0 ? [flag, formatSize(value)] : [];
}

function memoryFlags(host: RawHostConfig): string[] {
  const memory = host.Memory ?? 0;
  const out = [
    ...size('--memory', memory),
    ...size('--memory-reservation', host.MemoryReservation),
  ];
  // The engine stores twice the memory limit as swap when none was asked for, and refuses a
  // swap limit without a memory limit.
  const swap = host.MemorySwap ?? 0;
  if (memory > 0 && swap !== 0 && swap !== memory * 2)
    out.push('--memory-swap', swap > 0 ? formatSize(swap) : String(swap));
  const swappiness = host.MemorySwappiness;
  if (typeof swappiness === 'number' && swappiness >= 0) {
    out.push('--memory-swappiness', String(swappiness));
  }
  out.push(...size('--kernel-memory', host.KernelMemory));
  if (host.OomKillDisable === true) out.push('--oom-kill-disable');
  if (host.OomScoreAdj) out.push('--oom-score-adj', String(host.OomScoreAdj));
  return out;
}

function cpuFlags(host: RawHostConfig): string[] {
  const nanoCpus = Math.round(host.NanoCpus ?? 0);
  return [
    ...(nanoCpus > 0 ? ['--cpus', withFraction(nanoCpus, 1e9, 9)] : []),
    ...positive('--cpu-shares', host.CpuShares),
    ...positive('--cpu-period', host.CpuPeriod),
    ...positive('--cpu-quota', host.CpuQuota),
    ...positive('--cpu-rt-period', host.CpuRealtimePeriod),
    ...positive('--cpu-rt-runtime', host.CpuRealtimeRuntime),
    ...(host.CpusetCpus ? ['--cpuset-cpus', host.CpusetCpus] : []),
    ...(host.CpusetMems ? ['--cpuset-mems', host.CpusetMems] : []),
  ];
}

function perDevice(
  flag: string,
  devices: RawBlkioDevice[] | null | undefined,
  value: (device: RawBlkioDevice) => number | undefined,
): string[] {
  return repeated(
    flag,
    (devices ?? []).map((device) => `${device.Path}:${value(device) ?? 0}`),
  );
}

function blkioFlags(host: RawHostConfig): string[] {
  return [
    ...positive('--blkio-weight', host.BlkioWeight),
    ...perDevice('--blkio-weight-device', host.BlkioWeightDevice, (d) => d.Weight),
    ...perDevice('--device-read-bps', host.BlkioDeviceReadBps, (d) => d.Rate),
    ...perDevice('--device-write-bps', host.BlkioDeviceWriteBps, (d) => d.Rate),
    ...perDevice('--device-read-iops', host.BlkioDeviceReadIOps, (d) => d.Rate),
    ...perDevice('--device-write-iops', host.BlkioDeviceWriteIOps, (d) => d.Rate),
  ];
}

/**
 * A device request as `--gpus` writes it: docker adds the "gpu" capability to every request
 * and counts one GPU when neither a count nor devices are given.
 */
function gpuSpec(request: RawDeviceRequest): string {
  const fields: string[] = [];
  const count = request.Count ?? 0;
  const devices = request.DeviceIDs ?? [];
  const countWord = count === -1 ? 'all' : String(count);
  if (devices.length > 0) {
    fields.push(`device=${devices.join(',')}`);
    if (count !== 0) fields.push(`count=${countWord}`);
  } else {
    fields.push(`count=${countWord}`);
  }
  if (request.Driver) fields.push(`driver=${request.Driver}`);
  const capabilities = (request.Capabilities?.[0] ?? []).filter((c) => c !== 'gpu');
  if (capabilities.length > 0) fields.push(`capabilities=${capabilities.join(',')}`);
  const options = Object.entries(request.Options ?? {}).map(([k, v]) => `${k}=${v}`);
  if (options.length > 0) fields.push(`options=${csvRecord(options)}`);
  // `--gpus all` and `--gpus 2` are how people write a bare count.
  const [only] = fields;
  if (fields.length === 1 && only?.startsWith('count=')) return only.slice('count='.length);
  return csvRecord(fields);
}

function deviceFlags(host: RawHostConfig): string[] {
  const out: string[] = [];
  for (const device of host.Devices ?? []) {
    const permissions = device.CgroupPermissions;
    const paths =
      device.PathInContainer === '' || device.PathInContainer === device.PathOnHost
        ? device.PathOnHost
        : `${device.PathOnHost}:${device.PathInContainer}`;
    const keepPermissions = permissions !== '' && permissions !== 'rwm';
    const spec = keepPermissions
      ? `${device.PathOnHost}:${device.PathInContainer}:${permissions}`
      : paths;
    out.push('--device', spec);
  }
  out.push(...repeated('--device-cgroup-rule', host.DeviceCgroupRules));
  out.push(...repeated('--gpus', (host.DeviceRequests ?? []).map(gpuSpec)));
  return out;
}

export function limitFlags(host: RawHostConfig, defaults: EngineDefaults): string[] {
  const ulimits = (host.Ulimits ?? []).map(({ Name, Soft, Hard }) =>
    Soft === Hard ? `${Name}=${Soft}` : `${Name}=${Soft}:${Hard}`,
  );
  const shm = host.ShmSize ?? 0;
  return [
    ...memoryFlags(host),
    ...cpuFlags(host),
    ...positive('--pids-limit', host.PidsLimit),
    ...blkioFlags(host),
    ...repeated('--ulimit', ulimits),
    ...(shm > 0 && shm !== defaults.shmSizeBytes ? ['--shm-size', formatSize(shm)] : []),
    ...(host.CgroupParent ? ['--cgroup-parent', host.CgroupParent] : []),
    ...deviceFlags(host),
  ];
}
