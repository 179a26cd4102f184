import { useMemo } from 'react';
import ChartGrid from '../../components/charts/ChartGrid.js';
import { memorySpec, pairSpec, singleSpec } from '../../components/charts/chart-specs.js';
import type { ChartSpan } from '../../components/charts/TimeSeriesChart.js';
import type { StatsSeries } from '../containers/stats-series.js';

/** A host's totals: CPU, memory of its total, network, block I/O, running containers. */
export default function HostCharts({
  series: s,
  span,
  spanLabel,
  compact = false,
}: {
  /** The host's totals: memory limit is its total, the PIDs column its running containers. */
  series: StatsSeries;
  span: ChartSpan;
  spanLabel: string;
  /** The dashboard's: CPU and memory only, shorter. */
  compact?: boolean;
}) {
  const specs = useMemo(() => {
    // The host's totals are its containers' sums: said so, beside the host's own memory card.
    const cpu = singleSpec('host-cpu', 'Containers’ CPU', 'percent', s.times, s.cpu);
    const memory = {
      ...memorySpec(s.times, s.memory, s.memoryLimit, { line: 'used', ceiling: 'total' }),
      id: 'host-memory',
      title: 'Containers’ memory',
    };
    if (compact) return [cpu, memory];
    return [
      cpu,
      memory,
      pairSpec('host-network', 'Network', s.times, [s.rx, s.tx], ['in', 'out'], 'good'),
      pairSpec('host-block', 'Block I/O', s.times, [s.read, s.write], ['read', 'write'], 'warn'),
      singleSpec('host-running', 'Running containers', 'count', s.times, s.pids),
    ];
  }, [s, compact]);
  return (
    <ChartGrid
      specs={specs}
      span={span}
      spanLabel={spanLabel}
      sync={compact ? 'dashboard' : 'host'}
      {...(compact ? { height: 110 } : {})}
    />
  );
}
