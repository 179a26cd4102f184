import type { MetricsPoint, MetricsSeries } from '@berth/contract';
import { mergeLive, withGaps, type Series } from '../../components/charts/series.js';
import type { StatsSeries } from './stats-series.js';

const COLUMNS = ['cpu', 'memory', 'rx', 'tx', 'read', 'write', 'pids'] as const;

const asSeries = (s: StatsSeries): Series => ({
  times: s.times,
  columns: COLUMNS.map((key) => s[key]),
});

function fromSeries(merged: Series, memoryLimit: number | null): StatsSeries {
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
    memoryLimit,
  };
}

/**
 * Recorded points as the charts take them (averages and rates per step, as the server answers
 * them), a gap where the sampler recorded nothing for a while. For a host, the memory limit is
 * its total and the PIDs column its running containers.
 */
export function historySeries(answer: Pick<MetricsSeries, 'points' | 'step'>): StatsSeries {
  const points: MetricsPoint[] = answer.points;
  const series: Series = {
    times: points.map((p) => Date.parse(p.at) / 1000),
    columns: [
      points.map((p) => p.cpuPercent),
      points.map((p) => p.memory),
      points.map((p) => p.networkRxRate),
      points.map((p) => p.networkTxRate),
      points.map((p) => p.blockReadRate),
      points.map((p) => p.blockWriteRate),
      points.map((p) => p.pids),
    ],
  };
  const limit = points.at(-1)?.memoryLimit ?? null;
  return fromSeries(withGaps(series, Math.max(answer.step * 2.5, 5)), limit);
}

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
  return fromSeries(merged, live.memoryLimit ?? history.memoryLimit);
}
