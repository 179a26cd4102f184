import type { EngineDefaults } from './docker-run-defaults.js';
import { keyValues, repeated } from './docker-run-format.js';
import type { RawHostConfig } from '../../../docker/engine-types.js';

/** The `docker run` flags for privileges, security options, namespaces and the runtime. */

function securityOptions(host: RawHostConfig): string[] {
  const sharesHostNamespace = host.IpcMode === 'host' || host.PidMode === 'host';
  return (host.SecurityOpt ?? []).filter((option) => {
    // The engine adds label=disable itself to an unprivileged container sharing the host's
    // IPC or PID namespace; repeating it would pin a derived value.
    if (option === 'label=disable' && sharesHostNamespace && !host.Privileged) return false;
    // docker run reads a seccomp profile from a file and sends its JSON; the JSON is no file
    // name, so that profile cannot be given back on a command line.
    if (/^seccomp[=:]\s*\{/.test(option)) return false;
    return true;
  });
}

/** `--security-opt systempaths=unconfined` is how docker run empties both path lists. */
function unconfinedSystemPaths(host: RawHostConfig): boolean {
  return (
    Array.isArray(host.MaskedPaths) &&
    host.MaskedPaths.length === 0 &&
    Array.isArray(host.ReadonlyPaths) &&
    host.ReadonlyPaths.length === 0
  );
}

function namespaceFlags(host: RawHostConfig, defaults: EngineDefaults): string[] {
  const out: string[] = [];
  const ipc = host.IpcMode ?? '';
  if (ipc !== '' && ipc !== defaults.ipcMode) out.push('--ipc', ipc);
  if (host.PidMode) out.push('--pid', host.PidMode);
  if (host.UTSMode) out.push('--uts', host.UTSMode);
  if (host.UsernsMode) out.push('--userns', host.UsernsMode);
  const cgroupns = host.CgroupnsMode ?? '';
  if (
    cgroupns !== '' &&
    defaults.cgroupnsMode !== undefined &&
    cgroupns !== defaults.cgroupnsMode
  ) {
    out.push('--cgroupns', cgroupns);
  }
  return out;
}

export function securityFlags(host: RawHostConfig, defaults: EngineDefaults): string[] {
  const options = securityOptions(host);
  if (unconfinedSystemPaths(host)) options.push('systempaths=unconfined');
  return [
    ...repeated('--cap-add', host.CapAdd),
    ...repeated('--cap-drop', host.CapDrop),
    ...(host.Privileged ? ['--privileged'] : []),
    ...repeated('--security-opt', options),
    ...repeated('--group-add', host.GroupAdd),
    ...keyValues('--sysctl', host.Sysctls),
    ...namespaceFlags(host, defaults),
    ...(host.Runtime && host.Runtime !== defaults.runtime ? ['--runtime', host.Runtime] : []),
    ...(host.Isolation ? ['--isolation', host.Isolation] : []),
  ];
}
