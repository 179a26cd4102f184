import { mergeLive, ratesOf, type Series } from '../../components/charts/series.js';
import type { StatsSeries } from './stats-series.js';

/** A stored reading of a container, as the metrics history answers it (counters as totals). */
export interface HistorySample {
  at: string;
  cpuPercent: number | null;
  memoryWorkingSet: number | null;
  memoryLimit: number | null;
  networkRx: number | null;
  networkTx: number | null;
  blockRead: number | null;
  blockWrite: number | null;
  pids: number | null;
}

/** The history as the charts take it: counters as rates between consecutive readings. */
export function historySeries(samples: readonly HistorySample[]): StatsSeries {
  const times = samples.map((s) => Date.parse(s.at) / 1000);
  const rate = (pick: (s: HistorySample) => number | null): (number | null)[] =>
    ratesOf(times, samples.map(pick));
  const limits = samples.map((s) => s.memoryLimit).filter((v): v is number => v !== null);
  return {
    times,
    cpu: samples.map((s) => s.cpuPercent),
    memory: samples.map((s) => s.memoryWorkingSet),
    memoryLimit: limits[limits.length - 1] ?? null,
    rx: rate((s) => s.networkRx),
    tx: rate((s) => s.networkTx),
    read: rate((s) => s.blockRead),
    write: rate((s) => s.blockWrite),
    pids: samples.map((s) => s.pids),
  };
}

const COLUMNS = ['cpu', 'memory', 'rx', 'tx', 'read', 'write', 'pids'] as const;

const asSeries = (s: StatsSeries): Series => ({
  times: s.times,
  columns: COLUMNS.map((key) => s[key]),
});

/**
 * The live tail on a history chart: the stream's readings appended to the stored ones at the
 * history's step, the window kept to `from`, gaps where nothing was recorded.
 */
export function withLiveTail(
  history: StatsSeries,
  live: StatsSeries,
  step: number,
  from: number,
): StatsSeries {
  const merged = mergeLive(asSeries(history), asSeries(live), step, from);
  const column = (i: number): (number | null)[] => merged.columns[i] ?? [];
  return {
    times: merged.times,
    cpu: column(0),
    memory: column(1),
    rx: column(2),
    tx: column(3),
    read: column(4),
    write: column(5),
    pids: column(6),
    memoryLimit: live.memoryLimit ?? history.memoryLimit,
  };
}
