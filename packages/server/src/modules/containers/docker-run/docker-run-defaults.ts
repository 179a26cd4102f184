import type { RawInfo } from '../../../docker/engine-types.js';

/**
 * What an engine fills in for a container that did not ask: `docker run` leaves these values
 * out, so the reconstructed command does too. Read from the engine's /info where it reports
 * them; the rest are docker's own defaults, which /info does not report.
 */
export interface EngineDefaults {
  loggingDriver: string;
  runtime: string;
  /** The engine's IPC mode for containers that give none (dockerd --default-ipc-mode). */
  ipcMode: string;
  /** /dev/shm size for containers that give none (dockerd --default-shm-size). */
  shmSizeBytes: number;
  /** private on cgroup v2 hosts, host on cgroup v1; undefined when not known. */
  cgroupnsMode?: string;
  /** The engine's own os/architecture, as images name them; undefined when not known. */
  platform?: string;
  /** The engine takes several networks at create (API 1.44 and later). */
  severalNetworks: boolean;
}

export const DOCKER_DEFAULTS: EngineDefaults = {
  loggingDriver: 'json-file',
  runtime: 'runc',
  ipcMode: 'private',
  shmSizeBytes: 64 * 1024 * 1024,
  severalNetworks: false,
};

/** `uname -m` names, as /info reports the architecture, to the GOARCH names images carry. */
const ARCHITECTURES: Record<string, string> = {
  x86_64: 'amd64',
  aarch64: 'arm64',
  armv7l: 'arm',
  armv6l: 'arm',
  i386: '386',
  i686: '386',
};

/** From the engine's /info and the API version it speaks ("1.41"). */
export function engineDefaults(info: RawInfo, apiVersion?: string): EngineDefaults {
  const architecture = ARCHITECTURES[info.Architecture] ?? info.Architecture;
  const cgroupnsMode =
    info.CgroupVersion === '2' ? 'private' : info.CgroupVersion === '1' ? 'host' : undefined;
  const [major = 0, minor = 0] = (apiVersion ?? '').split('.').map(Number);
  return {
    ...DOCKER_DEFAULTS,
    severalNetworks: major > 1 || (major === 1 && minor >= 44),
    loggingDriver: info.LoggingDriver || DOCKER_DEFAULTS.loggingDriver,
    runtime: info.DefaultRuntime || DOCKER_DEFAULTS.runtime,
    ...(cgroupnsMode ? { cgroupnsMode } : {}),
    ...(info.OSType && architecture ? { platform: `${info.OSType}/${architecture}` } : {}),
  };
}
