import type {
  ContainerHealth,
  ContainerState,
  ContainerSummary,
  PortMapping,
} from '@berth/contract';
import type { RawContainerInspect, RawContainerSummary } from './engine-types.js';

export const MANAGED_LABEL = 'io.berth.managed';
export const ENVIRONMENT_LABEL = 'io.berth.environment';
const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

const STATES: readonly ContainerState[] = [
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  'exited',
  'dead',
];

function toState(raw: string): ContainerState {
  return STATES.find((state) => state === raw) ?? 'dead';
}

/** The engine only reports health inside the status text of a list entry: "Up 2 minutes (healthy)". */
function toHealth(status: string): ContainerHealth | null {
  if (status.includes('(healthy)')) return 'healthy';
  if (status.includes('(unhealthy)')) return 'unhealthy';
  if (status.includes('(health: starting)')) return 'starting';
  return null;
}

function toPorts(raw: RawContainerSummary['Ports']): PortMapping[] {
  return raw.map((port) => ({
    privatePort: port.PrivatePort,
    publicPort: port.PublicPort ?? null,
    protocol: port.Type,
    hostIp: port.IP ?? null,
  }));
}

export function toContainerSummary(raw: RawContainerSummary): ContainerSummary {
  const labels = raw.Labels ?? {};
  const networks = Object.entries(raw.NetworkSettings?.Networks ?? {}).map(([name, net]) => ({
    name,
    networkId: net.NetworkID,
    ipAddress: net.IPAddress || null,
  }));
  return {
    id: raw.Id,
    name: (raw.Names[0] ?? raw.Id.slice(0, 12)).replace(/^\//, ''),
    image: raw.Image,
    imageId: raw.ImageID,
    imageDigest: null,
    command: raw.Command,
    created: new Date(raw.Created * 1000).toISOString(),
    state: toState(raw.State),
    health: toHealth(raw.Status),
    status: raw.Status,
    ports: toPorts(raw.Ports),
    networks,
    mounts: (raw.Mounts ?? []).map((m) => ({
      type: m.Type,
      name: m.Name ?? null,
      source: m.Source,
      destination: m.Destination,
    })),
    labels,
    composeProject: labels[COMPOSE_PROJECT_LABEL] ?? null,
    composeService: labels[COMPOSE_SERVICE_LABEL] ?? null,
    managed: labels[MANAGED_LABEL] === 'true',
    environment: labels[ENVIRONMENT_LABEL] ?? null,
  };
}

/** Docker's own wording for durations in status texts ("Up 5 minutes", "Exited (0) 2 hours ago"). */
export function humanDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(seconds / 3600);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.round(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.round(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.round(hours / 24 / 30)} months`;
  return `${Math.round(hours / 24 / 365)} years`;
}

function statusText(state: RawContainerInspect['State'], now: number): string {
  const since = (iso: string): string => humanDuration(Math.max(0, now - Date.parse(iso)));
  const health = state.Health?.Status;
  const suffix = health === 'starting' ? ' (health: starting)' : health ? ` (${health})` : '';
  switch (state.Status) {
    case 'running':
      return `Up ${since(state.StartedAt)}${suffix}`;
    case 'paused':
      return `Up ${since(state.StartedAt)} (Paused)`;
    case 'restarting':
      return `Restarting (${state.ExitCode}) ${since(state.FinishedAt)} ago`;
    case 'exited':
      return `Exited (${state.ExitCode}) ${since(state.FinishedAt)} ago`;
    case 'created':
      return 'Created';
    case 'removing':
      return 'Removal In Progress';
    default:
      return 'Dead';
  }
}

/**
 * The same list entry built from an inspect. Events are followed by an inspect rather than a
 * list: inspect waits for the container's own lock, so it never returns the state from just
 * before the event (a list can, right after a "die").
 */
export function summaryFromInspect(
  inspect: RawContainerInspect,
  now = Date.now(),
): ContainerSummary {
  const ports: RawContainerSummary['Ports'] = [];
  for (const [key, bindings] of Object.entries(inspect.NetworkSettings.Ports ?? {})) {
    const [port = '0', type = 'tcp'] = key.split('/');
    const Type = type === 'udp' ? 'udp' : type === 'sctp' ? 'sctp' : 'tcp';
    if (!bindings || bindings.length === 0) ports.push({ PrivatePort: Number(port), Type });
    for (const b of bindings ?? []) {
      ports.push({
        IP: b.HostIp ?? '',
        PrivatePort: Number(port),
        PublicPort: Number(b.HostPort),
        Type,
      });
    }
  }
  return toContainerSummary({
    Id: inspect.Id,
    Names: [inspect.Name],
    Image: inspect.Config.Image,
    ImageID: inspect.Image,
    Command: [inspect.Path, ...inspect.Args].join(' '),
    Created: Math.floor(Date.parse(inspect.Created) / 1000),
    State: inspect.State.Status,
    Status: statusText(inspect.State, now),
    Ports: ports,
    Labels: inspect.Config.Labels,
    NetworkSettings: { Networks: inspect.NetworkSettings.Networks },
    Mounts: inspect.Mounts.map((m) => ({
      Type: m.Type,
      Name: m.Name,
      Source: m.Source,
      Destination: m.Destination,
    })),
  });
}
