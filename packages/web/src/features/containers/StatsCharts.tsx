import { useMemo } from 'react';
import ChartGrid from '../../components/charts/ChartGrid.js';
import { memorySpec, pairSpec, singleSpec } from '../../components/charts/chart-specs.js';
import type { ChartSpan } from '../../components/charts/TimeSeriesChart.js';
import type { StatsSeries } from './stats-series.js';

/** The charts of a container's readings (live, or history with the live tail appended). */
export default function StatsCharts({
  series: s,
  span,
  spanLabel,
}: {
  series: StatsSeries;
  span: ChartSpan;
  spanLabel: string;
}) {
  const specs = useMemo(
    () => [
      singleSpec('cpu', 'CPU', 'percent', s.times, s.cpu),
      memorySpec(s.times, s.memory, s.memoryLimit, { line: 'used', ceiling: 'limit' }),
      pairSpec('network', 'Network', s.times, [s.rx, s.tx], ['in', 'out'], 'good'),
      pairSpec('block', 'Block I/O', s.times, [s.read, s.write], ['read', 'write'], 'warn'),
      singleSpec('pids', 'PIDs', 'count', s.times, s.pids),
    ],
    [s],
  );
  return <ChartGrid specs={specs} span={span} spanLabel={spanLabel} sync="container" />;
}
