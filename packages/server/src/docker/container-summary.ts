import type {
  ContainerHealth,
  ContainerState,
  ContainerSummary,
  PortMapping,
} from '@berth/contract';
import type { RawContainerInspect, RawContainerSummary } from './engine-types.js';

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

/**
 * A container as the engine lists it: the contract's summary without what Berth adds from its
 * own labels and records (`managed`, `environment`: modules/containers/berth-labels.ts).
 */
export type EngineContainer = Omit<ContainerSummary, 'managed' | 'environment'>;

/** A list entry without its status text, which is derived from `clock` when it is served. */
export type ContainerFacts = Omit<
  EngineContainer,
  'status' | 'exitCode' | 'finishedAt' | 'restartCount' | 'oomKilled'
>;

/** The timestamps a status text is derived from (as the engine derives its own). */
export interface StatusClock {
  /** Epoch ms; null when the container never started. */
  startedAt: number | null;
  finishedAt: number | null;
  exitCode: number;
  /** Known from an inspect only; a list entry says 0 and false until its inspect follows. */
  restartCount: number;
  oomKilled: boolean;
}

/** What EngineState holds per container. */
export interface ContainerEntry {
  facts: ContainerFacts;
  clock: StatusClock;
  /** From an inspect (exact timestamps), or estimated from a list entry's text. */
  exact: boolean;
  /** The restart policy's name ("no", "always", …); known from an inspect only, else null. */
  restartPolicy: string | null;
}

function toFacts(raw: RawContainerSummary, health: ContainerHealth | null): ContainerFacts {
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
    health,
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
  };
}

/** The list entry as served at `now`: the status text is derived, never stored. */
export function withStatus(entry: ContainerEntry, now: number): EngineContainer {
  const { clock, facts } = entry;
  const ended = clock.finishedAt !== null && facts.state !== 'running' && facts.state !== 'paused';
  return {
    ...facts,
    status: statusText(facts, clock, now),
    exitCode: ended ? clock.exitCode : null,
    finishedAt: clock.finishedAt === null ? null : new Date(clock.finishedAt).toISOString(),
    restartCount: clock.restartCount,
    oomKilled: clock.oomKilled,
  };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Docker's own wording for durations in status texts ("Up 5 minutes", "Exited (0) 2 hours ago"):
 * go-units' HumanDuration, truncating seconds and minutes and rounding hours as it does.
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / HOUR);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(ms / HOUR / 24 / 365)} years`;
}

const UNIT_MS: Record<string, number> = {
  second: SECOND,
  minute: MINUTE,
  hour: HOUR,
  day: 24 * HOUR,
  week: 7 * 24 * HOUR,
  month: 30 * 24 * HOUR,
  year: 365 * 24 * HOUR,
};

/** The inverse of humanDuration (the shortest duration that reads so), or null. */
export function parseHumanDuration(text: string): number | null {
  if (text === 'Less than a second') return 0;
  if (text === 'About a minute') return MINUTE;
  if (text === 'About an hour') return HOUR;
  const match = /^(\d+) (second|minute|hour|day|week|month|year)s?$/.exec(text);
  const unit = match?.[2] ? UNIT_MS[match[2]] : undefined;
  return match && unit !== undefined ? Number(match[1]) * unit : null;
}

function healthSuffix(health: ContainerHealth | null): string {
  if (health === 'starting') return ' (health: starting)';
  return health ? ` (${health})` : '';
}

/** The engine's status text for a container at `now` (daemon's State.String()). */
export function statusText(
  facts: Pick<ContainerFacts, 'state' | 'health'>,
  clock: StatusClock,
  now: number,
): string {
  const since = (at: number | null): string => humanDuration(Math.max(0, now - (at ?? now)));
  switch (facts.state) {
    case 'running':
      return `Up ${since(clock.startedAt)}${healthSuffix(facts.health)}`;
    case 'paused':
      return `Up ${since(clock.startedAt)} (Paused)`;
    case 'restarting':
      return `Restarting (${clock.exitCode}) ${since(clock.finishedAt)} ago`;
    case 'removing':
      return 'Removal In Progress';
    case 'dead':
      return 'Dead';
    case 'created':
    case 'exited':
      if (clock.startedAt === null) return 'Created';
      if (clock.finishedAt === null) return '';
      return `Exited (${clock.exitCode}) ${since(clock.finishedAt)} ago`;
  }
}

/**
 * Timestamps estimated from a list entry's status text at the time it was listed: the engine's
 * list has no timestamps. EngineState replaces the estimate with an inspect right after.
 */
function clockFromText(status: string, listedAt: number): StatusClock {
  const up = /^Up (.+?)(?: \((?:Paused|healthy|unhealthy|health: starting)\))?$/.exec(status);
  const upFor = up?.[1] ? parseHumanDuration(up[1]) : null;
  const unknown = { restartCount: 0, oomKilled: false };
  if (upFor !== null)
    return { startedAt: listedAt - upFor, finishedAt: null, exitCode: 0, ...unknown };
  const ended = /^(?:Exited|Restarting) \((-?\d+)\) (.+) ago$/.exec(status);
  const endedFor = ended?.[2] ? parseHumanDuration(ended[2]) : null;
  if (ended && endedFor !== null) {
    // Started some time before it finished; only "never started" matters for the text.
    return {
      startedAt: listedAt - endedFor,
      finishedAt: listedAt - endedFor,
      exitCode: Number(ended[1]),
      ...unknown,
    };
  }
  return { startedAt: null, finishedAt: null, exitCode: 0, ...unknown };
}

/** An engine list entry, listed at `listedAt`. */
export function entryFromList(raw: RawContainerSummary, listedAt: number): ContainerEntry {
  return {
    facts: toFacts(raw, toHealth(raw.Status)),
    clock: clockFromText(raw.Status, listedAt),
    exact: false,
    restartPolicy: null,
  };
}

/** The engine writes "0001-01-01T00:00:00Z" for a time that never was. */
function engineTime(iso: string): number | null {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

/** As in the engine's list: health is shown (and so known) only while the container runs. */
function healthOf(state: RawContainerInspect['State']): ContainerHealth | null {
  if (state.Status !== 'running') return null;
  const status = state.Health?.Status;
  return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : null;
}

/**
 * The same entry built from an inspect, with exact timestamps. Events are followed by an
 * inspect rather than a list: inspect waits for the container's own lock, so it never returns
 * the state from just before the event (a list can, right after a "die").
 */
export function entryFromInspect(inspect: RawContainerInspect): ContainerEntry {
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
  const raw: RawContainerSummary = {
    Id: inspect.Id,
    Names: [inspect.Name],
    Image: inspect.Config.Image,
    ImageID: inspect.Image,
    Command: [inspect.Path, ...inspect.Args].join(' '),
    Created: Math.floor(Date.parse(inspect.Created) / 1000),
    State: inspect.State.Status,
    Status: '',
    Ports: ports,
    Labels: inspect.Config.Labels,
    NetworkSettings: { Networks: inspect.NetworkSettings.Networks },
    Mounts: inspect.Mounts.map((m) => ({
      Type: m.Type,
      Name: m.Name,
      Source: m.Source,
      Destination: m.Destination,
    })),
  };
  return {
    facts: toFacts(raw, healthOf(inspect.State)),
    clock: {
      startedAt: engineTime(inspect.State.StartedAt),
      finishedAt: engineTime(inspect.State.FinishedAt),
      exitCode: inspect.State.ExitCode,
      restartCount: inspect.RestartCount,
      oomKilled: inspect.State.OOMKilled,
    },
    exact: true,
    restartPolicy: inspect.HostConfig.RestartPolicy?.Name || 'no',
  };
}
