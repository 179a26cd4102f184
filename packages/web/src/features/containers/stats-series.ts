import type { ContainerStats } from '@berth/contract';

/** The chart data of a run of stats readings: times in seconds, values per series (null = gap). */
export interface StatsSeries {
  times: number[];
  cpu: (number | null)[];
  memory: (number | null)[];
  memoryLimit: number | null;
  rx: (number | null)[];
  tx: (number | null)[];
  read: (number | null)[];
  write: (number | null)[];
  pids: (number | null)[];
}

export const WINDOWS = [
  { label: '1 min', ms: 60_000 },
  { label: '5 min', ms: 5 * 60_000 },
  { label: '15 min', ms: 15 * 60_000 },
] as const;

/** Readings kept in the page: the longest window at the engine's one reading a second, and some. */
export const MAX_SAMPLES = 1_000;

/**
 * Counters (network, block I/O) as rates per second between consecutive readings. A counter
 * that went down (the container restarted) or readings without time between them give a gap.
 */
export function statsSeries(samples: readonly ContainerStats[]): StatsSeries {
  const times = samples.map((s) => Date.parse(s.read) / 1000);
  const rate = (pick: (s: ContainerStats) => number): (number | null)[] =>
    samples.map((s, i) => {
      const prev = samples[i - 1];
      const [t, tPrev] = [times[i], times[i - 1]];
      if (!prev || t === undefined || tPrev === undefined || t <= tPrev) return null;
      const delta = pick(s) - pick(prev);
      return delta < 0 ? null : delta / (t - tPrev);
    });
  return {
    times,
    cpu: samples.map((s) => s.cpuPercent),
    memory: samples.map((s) => s.memory.usage),
    memoryLimit: samples.at(-1)?.memory.limit ?? null,
    rx: rate((s) => s.network.rxBytes),
    tx: rate((s) => s.network.txBytes),
    read: rate((s) => s.blockIo.readBytes),
    write: rate((s) => s.blockIo.writeBytes),
    pids: samples.map((s) => s.pids),
  };
}

/** The last value that is not a gap. */
export function latest(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i -= 1) {
    const value = values[i];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}
