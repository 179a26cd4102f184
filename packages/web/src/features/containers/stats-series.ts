import type { ContainerStats } from '@berth/contract';
import { ratesOf } from '../../components/charts/series.js';

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

/** Counters (network, block I/O) as rates per second between consecutive readings. */
export function statsSeries(samples: readonly ContainerStats[]): StatsSeries {
  const times = samples.map((s) => Date.parse(s.read) / 1000);
  const rate = (pick: (s: ContainerStats) => number): (number | null)[] =>
    ratesOf(times, samples.map(pick));
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
