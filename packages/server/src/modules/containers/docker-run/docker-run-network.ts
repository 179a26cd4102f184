import type { EngineDefaults } from './docker-run-defaults.js';
import { csvRecord, repeated } from './docker-run-format.js';
import type {
  RawContainerConfig,
  RawContainerInspect,
  RawHostConfig,
  RawImageInspect,
} from '../../../docker/engine-types.js';

/** The `docker run` flags for ports, the network joined at create, DNS and /etc/hosts. */

type Endpoint = NonNullable<RawContainerInspect['NetworkSettings']['Networks']>[string];

/** Network modes in which the container sits on the engine's default bridge. */
const DEFAULT_NETWORK_MODES = new Set(['', 'default', 'bridge']);

interface PortSpec {
  port: number;
  protocol: string;
  ip: string;
  hostPort: string;
}

interface PortRun {
  protocol: string;
  ip: string;
  first: number;
  last: number;
  /** The host port of `first`; '' lets the engine choose, a range string is kept whole. */
  hostPort: string;
}

function splitPortKey(key: string): { port: number; protocol: string } {
  const [port = '', protocol = 'tcp'] = key.split('/');
  return { port: Number(port), protocol };
}

/** Whether a port (and its host port) carries on where a run ends. */
function continuesRun(run: PortRun, port: PortSpec): boolean {
  if (run.protocol !== port.protocol || run.ip !== port.ip || port.port !== run.last + 1) {
    return false;
  }
  if (port.hostPort === '') return run.hostPort === '';
  if (!/^\d+$/.test(run.hostPort) || !/^\d+$/.test(port.hostPort)) return false;
  return Number(port.hostPort) === Number(run.hostPort) + port.port - run.first;
}

/**
 * Consecutive ports with consecutive host ports are one `--publish 8000-8002:8000-8002`, as
 * they were most likely given; the engine keeps one binding per port either way. Bindings of
 * one port keep their order.
 */
function portRuns(ports: PortSpec[]): PortRun[] {
  const sorted = [...ports].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
  const runs: PortRun[] = [];
  for (const port of sorted) {
    const run = runs.find((candidate) => continuesRun(candidate, port));
    if (run) run.last = port.port;
    else {
      const { protocol, ip, hostPort } = port;
      runs.push({ protocol, ip, hostPort, first: port.port, last: port.port });
    }
  }
  return runs;
}

function range(first: number, last: number): string {
  return first === last ? String(first) : `${first}-${last}`;
}

function portPart(run: PortRun): string {
  const ports = range(run.first, run.last);
  return run.protocol === 'tcp' ? ports : `${ports}/${run.protocol}`;
}

function publishSpec(run: PortRun): string {
  const container = portPart(run);
  let host = run.hostPort;
  if (/^\d+$/.test(host) && run.last > run.first) {
    host = range(Number(host), Number(host) + run.last - run.first);
  }
  // An empty HostIp is every address, IPv6 included; 0.0.0.0 is IPv4 only, so it stays.
  if (run.ip === '') return host === '' ? container : `${host}:${container}`;
  // An IPv6 address holds colons of its own; brackets keep it apart from the ports.
  const ip = run.ip.includes(':') ? `[${run.ip}]` : run.ip;
  return `${ip}:${host}:${container}`;
}

export function publishFlags(
  config: RawContainerConfig,
  host: RawHostConfig,
  image: RawImageInspect | undefined,
): string[] {
  const published = Object.entries(host.PortBindings ?? {}).flatMap(([key, bindings]) =>
    (bindings ?? []).map((binding) => ({
      ...splitPortKey(key),
      ip: binding.HostIp ?? '',
      hostPort: binding.HostPort ?? '',
    })),
  );
  const out = portRuns(published).flatMap((run) => ['--publish', publishSpec(run)]);
  // Publishing a port exposes it, and the image's own ports are exposed already.
  const implied = new Set([
    ...Object.keys(host.PortBindings ?? {}),
    ...Object.keys(image?.Config.ExposedPorts ?? {}),
  ]);
  const exposed = Object.keys(config.ExposedPorts ?? {})
    .filter((key) => !implied.has(key))
    .map((key) => ({ ...splitPortKey(key), ip: '', hostPort: '' }));
  for (const run of portRuns(exposed)) out.push('--expose', portPart(run));
  if (host.PublishAllPorts) out.push('--publish-all');
  return out;
}

/** A legacy link as the engine stores it, `/target:/container/alias`, back to `target:alias`. */
function legacyLink(link: string): string {
  const [target = '', path = ''] = link.split(':');
  const name = target.replace(/^\//, '');
  const alias = path.slice(path.lastIndexOf('/') + 1);
  return alias === '' || alias === name ? name : `${name}:${alias}`;
}

function primaryNetwork(inspect: RawContainerInspect): [string, Endpoint | undefined] | undefined {
  const mode = inspect.HostConfig.NetworkMode ?? '';
  const networks = Object.entries(inspect.NetworkSettings.Networks ?? {});
  if (!DEFAULT_NETWORK_MODES.has(mode)) {
    // NetworkMode may name the network by id while the endpoints are keyed by name.
    const endpoint =
      networks.find(([name]) => name === mode) ??
      networks.find(([, e]) => e.NetworkID !== '' && e.NetworkID.startsWith(mode));
    return [mode, endpoint?.[1]];
  }
  if (!networks.some(([name]) => name === 'bridge')) {
    // Created on the bridge, then moved to user networks: the first of them stands in, as
    // one `docker run` joins one network; further ones need `docker network connect`.
    return networks[0];
  }
  return undefined;
}

/** The aliases a run asked for: the engine adds the container's id, short id and name itself. */
function chosenAliases(inspect: RawContainerInspect, endpoint: Endpoint): string[] {
  const name = inspect.Name.replace(/^\//, '');
  const automatic = new Set([inspect.Id, inspect.Id.slice(0, 12), name]);
  return (endpoint.Aliases ?? []).filter((alias) => !automatic.has(alias));
}

/** The network a run joins, with its endpoint settings, as separate flags. */
function singleNetworkFlags(inspect: RawContainerInspect, name: string, endpoint?: Endpoint) {
  const out = ['--network', name];
  if (endpoint === undefined) return out;
  const ipam = endpoint.IPAMConfig;
  if (ipam?.IPv4Address) out.push('--ip', ipam.IPv4Address);
  if (ipam?.IPv6Address) out.push('--ip6', ipam.IPv6Address);
  out.push(...repeated('--link-local-ip', ipam?.LinkLocalIPs));
  out.push(...repeated('--network-alias', chosenAliases(inspect, endpoint)));
  return out;
}

/** One of several networks, in the CSV form of --network that docker 25+ sends to API 1.44+. */
function networkSpec(inspect: RawContainerInspect, name: string, endpoint: Endpoint): string {
  const ipam = endpoint.IPAMConfig;
  return csvRecord([
    `name=${name}`,
    ...chosenAliases(inspect, endpoint).map((alias) => `alias=${alias}`),
    ...(ipam?.IPv4Address ? [`ip=${ipam.IPv4Address}`] : []),
    ...(ipam?.IPv6Address ? [`ip6=${ipam.IPv6Address}`] : []),
    ...(ipam?.LinkLocalIPs ?? []).map((ip) => `link-local-ip=${ip}`),
    ...Object.entries(endpoint.DriverOpts ?? {}).map(([k, v]) => `driver-opt=${k}=${v}`),
  ]);
}

/**
 * Engines before API 1.44 join one network at create, so a container on several shows the
 * first (the others are `docker network connect` away); newer ones take them all in one run.
 */
export function networkFlags(inspect: RawContainerInspect, defaults: EngineDefaults): string[] {
  const host = inspect.HostConfig;
  const out: string[] = [];
  const primary = primaryNetwork(inspect);
  if (primary !== undefined) {
    const [name, endpoint] = primary;
    const others =
      endpoint === undefined
        ? []
        : Object.entries(inspect.NetworkSettings.Networks ?? {}).filter(
            ([other]) => other !== name,
          );
    if (endpoint !== undefined && others.length > 0 && defaults.severalNetworks) {
      for (const [network, settings] of [[name, endpoint] as const, ...others]) {
        out.push('--network', networkSpec(inspect, network, settings));
      }
    } else {
      out.push(...singleNetworkFlags(inspect, name, endpoint));
    }
    // On a user network the engine keeps links with the endpoint, as they were given.
    out.push(...repeated('--link', endpoint?.Links));
  }
  out.push(...repeated('--link', (host.Links ?? []).map(legacyLink)));
  if (inspect.Config.MacAddress) out.push('--mac-address', inspect.Config.MacAddress);
  out.push(...repeated('--dns', host.Dns));
  out.push(...repeated('--dns-search', host.DnsSearch));
  out.push(...repeated('--dns-option', host.DnsOptions));
  out.push(...repeated('--add-host', host.ExtraHosts));
  return out;
}
