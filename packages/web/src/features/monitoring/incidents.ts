import type { ContainerIncident } from '@berth/contract';

/** What happened to a container, as the health history records it. */
export type Incident = Pick<
  ContainerIncident,
  | 'id'
  | 'hostId'
  | 'containerId'
  | 'containerName'
  | 'kind'
  | 'at'
  | 'reason'
  | 'exitCode'
  | 'health'
>;

type Tone = 'good' | 'warn' | 'bad' | 'neutral';

/** The words and the colour of an incident: an unhealthy check or a crash is bad, a clean exit is not. */
export function describeIncident(incident: Incident): { label: string; tone: Tone } {
  switch (incident.kind) {
    case 'health': {
      const health = incident.health ?? 'unknown';
      const tone = health === 'healthy' ? 'good' : health === 'unhealthy' ? 'bad' : 'warn';
      return { label: health, tone };
    }
    case 'exit':
      return incident.exitCode === 0 || incident.exitCode === null
        ? { label: 'exited', tone: 'neutral' }
        : { label: `exited ${incident.exitCode}`, tone: 'bad' };
    case 'oom':
      return { label: 'out of memory', tone: 'bad' };
    case 'restart_loop':
      return { label: 'restart loop', tone: 'bad' };
    case 'post_start_failure':
      return { label: 'failed after start', tone: 'bad' };
    case 'start':
      return { label: 'started', tone: 'good' };
  }
}

export interface TimelineMark {
  incident: Incident;
  /** From the left edge of the span, 0 to 100. */
  left: number;
  tone: Tone;
  label: string;
}

/** The incidents inside [from, to] (seconds) placed along a strip, oldest first. */
export function timelineMarks(
  incidents: readonly Incident[],
  from: number,
  to: number,
): TimelineMark[] {
  const span = Math.max(1, to - from);
  return incidents
    .map((incident) => ({ incident, t: Date.parse(incident.at) / 1000 }))
    .filter(({ t }) => t >= from && t <= to)
    .sort((a, b) => a.t - b.t)
    .map(({ incident, t }) => ({
      incident,
      left: Math.round(((t - from) / span) * 1000) / 10,
      ...describeIncident(incident),
    }));
}

/** Newest first, for a feed. */
export function newestFirst<T extends { at: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
