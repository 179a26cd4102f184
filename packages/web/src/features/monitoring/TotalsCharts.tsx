import { useMemo } from 'react';
import ChartGrid from '../../components/charts/ChartGrid.js';
import { memorySpec, pairSpec, singleSpec } from '../../components/charts/chart-specs.js';
import type { ChartSpan } from '../../components/charts/TimeSeriesChart.js';
import type { StatsSeries } from '../containers/stats-series.js';

/** A host's or a stack's totals: CPU, memory, network, block I/O, running containers. */
export default function TotalsCharts({
  scope,
  series: s,
  span,
  spanLabel,
  compact = false,
}: {
  scope: 'host' | 'stack';
  /** Sums over running containers: the PIDs column counts them, memory's limit is the ceiling. */
  series: StatsSeries;
  span: ChartSpan;
  spanLabel: string;
  /** The dashboard's: CPU and memory only, shorter. */
  compact?: boolean;
}) {
  const specs = useMemo(() => {
    // A host's totals are its containers' sums: said so, beside the host's own memory card.
    const host = scope === 'host';
    const cpu = singleSpec(
      `${scope}-cpu`,
      host ? 'Containers’ CPU' : 'CPU',
      'percent',
      s.times,
      s.cpu,
    );
    const memory = {
      ...memorySpec(s.times, s.memory, s.memoryLimit, {
        line: 'used',
        ceiling: host ? 'total' : 'limit',
      }),
      id: `${scope}-memory`,
      title: host ? 'Containers’ memory' : 'Memory',
    };
    if (compact) return [cpu, memory];
    return [
      cpu,
      memory,
      pairSpec(`${scope}-network`, 'Network', s.times, [s.rx, s.tx], ['in', 'out'], 'good'),
      pairSpec(
        `${scope}-block`,
        'Block I/O',
        s.times,
        [s.read, s.write],
        ['read', 'write'],
        'warn',
      ),
      singleSpec(`${scope}-running`, 'Running containers', 'count', s.times, s.pids),
    ];
  }, [s, scope, compact]);
  return (
    <ChartGrid
      specs={specs}
      span={span}
      spanLabel={spanLabel}
      sync={compact ? 'dashboard' : scope}
      {...(compact ? { height: 110 } : {})}
    />
  );
}
