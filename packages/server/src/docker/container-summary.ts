import type {
  ContainerHealth,
  ContainerState,
  ContainerSummary,
  PortMapping,
} from '@berth/contract';
import type { RawContainerSummary } from './engine-types.js';

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
    command: raw.Command,
    created: new Date(raw.Created * 1000).toISOString(),
    state: toState(raw.State),
    health: toHealth(raw.Status),
    status: raw.Status,
    ports: toPorts(raw.Ports),
    networks,
    labels,
    composeProject: labels[COMPOSE_PROJECT_LABEL] ?? null,
    composeService: labels[COMPOSE_SERVICE_LABEL] ?? null,
    managed: labels[MANAGED_LABEL] === 'true',
    environment: labels[ENVIRONMENT_LABEL] ?? null,
  };
}
