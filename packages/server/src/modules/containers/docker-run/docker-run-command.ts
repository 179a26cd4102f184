import { DOCKER_DEFAULTS, type EngineDefaults } from './docker-run-defaults.js';
import { shellQuote } from '@berth/contract';
import { goDuration, sameList } from './docker-run-format.js';
import { limitFlags } from './docker-run-limits.js';
import { networkFlags, publishFlags } from './docker-run-network.js';
import { securityFlags } from './docker-run-security.js';
import { storageFlags } from './docker-run-storage.js';
import type {
  RawContainerConfig,
  RawContainerInspect,
  RawHealthConfig,
  RawHostConfig,
  RawImageInspect,
} from '../../../docker/engine-types.js';

export { goDuration } from './docker-run-format.js';
export { DOCKER_DEFAULTS, engineDefaults, type EngineDefaults } from './docker-run-defaults.js';

/**
 * Turns a container's engine inspect back into the `docker run` that would recreate it, for
 * users who want to copy a container out of Berth. Berth itself never runs this text: it
 * talks to the Engine API. The argv form is the source of truth; the shell string is only
 * its quoted rendering, so no value from the engine can escape its argument.
 *
 * Given the image inspect, settings the container merely inherited from its image are left
 * out, so the command stays short and follows the image when it is updated; given the
 * engine's defaults, so are the values the engine fills in by itself.
 */

export function dockerRunArgs(
  inspect: RawContainerInspect,
  image?: RawImageInspect,
  defaults: EngineDefaults = DOCKER_DEFAULTS,
): string[] {
  const { Config: config, HostConfig: host } = inspect;
  const { flags: entrypointFlags, tail } = entrypointAndCommand(config, image);
  return [
    'docker',
    'run',
    '--detach',
    ...identityFlags(inspect, image),
    ...platformFlags(image, defaults),
    ...publishFlags(config, host, image),
    ...storageFlags(config, host, image),
    ...networkFlags(inspect, defaults),
    ...restartFlags(host),
    ...limitFlags(host, defaults),
    ...healthFlags(config.Healthcheck, image?.Config.Healthcheck),
    ...labelFlags(config, image),
    ...securityFlags(host, defaults),
    ...logFlags(host, defaults),
    ...entrypointFlags,
    ...processFlags(config, host, image),
    config.Image,
    ...tail,
  ];
}

export function dockerRunCommand(
  inspect: RawContainerInspect,
  image?: RawImageInspect,
  defaults?: EngineDefaults,
): string {
  return dockerRunArgs(inspect, image, defaults).map(shellQuote).join(' ');
}

function identityFlags(inspect: RawContainerInspect, image: RawImageInspect | undefined) {
  const config = inspect.Config;
  const out: string[] = [];
  const name = inspect.Name.replace(/^\//, '');
  if (name !== '') out.push('--name', name);
  const mode = inspect.HostConfig.NetworkMode ?? '';
  // In these modes the engine fills the hostname from the host or the joined container, and
  // docker refuses --hostname alongside container:<id> or --uts host; repeating it would pin
  // a derived value.
  const sharedUts =
    mode === 'host' || mode.startsWith('container:') || inspect.HostConfig.UTSMode === 'host';
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

/**
 * An image of another platform than the engine's was asked for with --platform (a pull picks
 * the engine's own otherwise).
 */
function platformFlags(image: RawImageInspect | undefined, defaults: EngineDefaults): string[] {
  if (!image?.Os || !image.Architecture || defaults.platform === undefined) return [];
  const platform = `${image.Os}/${image.Architecture}`;
  if (platform === defaults.platform) return [];
  return ['--platform', image.Variant ? `${platform}/${image.Variant}` : platform];
}

function restartFlags(host: RawHostConfig): string[] {
  const policy = host.RestartPolicy;
  if (policy === undefined || policy.Name === '' || policy.Name === 'no') return [];
  const retries = policy.MaximumRetryCount ?? 0;
  if (policy.Name === 'on-failure' && retries > 0) return ['--restart', `on-failure:${retries}`];
  return ['--restart', policy.Name];
}

const HEALTH_DURATIONS = [
  ['--health-interval', 'Interval'],
  ['--health-timeout', 'Timeout'],
  ['--health-start-period', 'StartPeriod'],
  ['--health-start-interval', 'StartInterval'],
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

function logFlags(host: RawHostConfig, defaults: EngineDefaults): string[] {
  const log = host.LogConfig;
  if (log === undefined) return [];
  const out: string[] = [];
  if (log.Type !== '' && log.Type !== defaults.loggingDriver) out.push('--log-driver', log.Type);
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

function processFlags(
  config: RawContainerConfig,
  host: RawHostConfig,
  image: RawImageInspect | undefined,
): string[] {
  const out: string[] = [];
  if (config.StopSignal && config.StopSignal !== image?.Config.StopSignal) {
    out.push('--stop-signal', config.StopSignal);
  }
  if (typeof config.StopTimeout === 'number')
    out.push('--stop-timeout', String(config.StopTimeout));
  if (config.Tty) out.push('--tty');
  if (config.OpenStdin) out.push('--interactive');
  if (host.Init === true) out.push('--init');
  if (host.ReadonlyRootfs) out.push('--read-only');
  if (host.AutoRemove) out.push('--rm');
  return out;
}
