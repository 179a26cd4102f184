import { useMemo } from 'react';
import type { Series } from '../../components/charts/series.js';
import {
  TimeSeriesChart,
  type ChartLine,
  type ChartSpan,
} from '../../components/charts/TimeSeriesChart.js';
import { formatUnit, type ChartUnit } from '../../components/charts/units.js';
import { useThemeVersion } from '../../components/charts/useThemeVersion.js';
import type { StatsSeries } from './stats-series.js';

interface ChartSpec {
  id: string;
  title: string;
  unit: ChartUnit;
  lines: ChartLine[];
  data: Series;
  summary?: (values: (number | null)[]) => string;
}

/** The container charts: CPU, memory against its limit, network, block I/O, PIDs. */
function chartSpecs(s: StatsSeries): ChartSpec[] {
  const limit = s.memoryLimit;
  // The limit is drawn when it is near enough to matter; far above, it is only named.
  const peak = Math.max(0, ...s.memory.map((v) => v ?? 0));
  const limitDrawn = limit !== null && limit > 0 && limit <= peak * 4;
  const memory = (used: number | null): string =>
    used === null
      ? '—'
      : `${formatUnit('bytes', used)}${limit ? ` of ${formatUnit('bytes', limit)} limit (${formatUnit('percent', (used / limit) * 100)})` : ''}`;
  const on = (...columns: (number | null)[][]): Series => ({ times: s.times, columns });
  return [
    {
      id: 'cpu',
      title: 'CPU',
      unit: 'percent',
      lines: [{ label: 'CPU', tone: 'accent' }],
      data: on(s.cpu),
    },
    {
      id: 'memory',
      title: 'Memory',
      unit: 'bytes',
      lines: [
        { label: 'used', tone: 'accent' },
        ...(limitDrawn ? [{ label: 'limit', tone: 'bad' as const, dash: [6, 4] }] : []),
      ],
      data: limitDrawn
        ? on(
            s.memory,
            s.memory.map(() => limit),
          )
        : on(s.memory),
      summary: (values) => memory(values[0] ?? null),
    },
    {
      id: 'network',
      title: 'Network',
      unit: 'bytesPerSecond',
      lines: [
        { label: 'in', tone: 'accent' },
        { label: 'out', tone: 'good' },
      ],
      data: on(s.rx, s.tx),
    },
    {
      id: 'block',
      title: 'Block I/O',
      unit: 'bytesPerSecond',
      lines: [
        { label: 'read', tone: 'accent' },
        { label: 'write', tone: 'warn' },
      ],
      data: on(s.read, s.write),
    },
    {
      id: 'pids',
      title: 'PIDs',
      unit: 'count',
      lines: [{ label: 'PIDs', tone: 'accent' }],
      data: on(s.pids),
    },
  ];
}

/** The charts of a container's readings (live, or history with the live tail appended). */
export default function StatsCharts({
  series,
  span,
  spanLabel,
}: {
  series: StatsSeries;
  span: ChartSpan;
  spanLabel: string;
}) {
  const theme = useThemeVersion();
  const specs = useMemo(() => chartSpecs(series), [series]);
  return (
    <div className="charts">
      {specs.map((spec) => (
        <TimeSeriesChart
          key={spec.id}
          {...spec}
          span={span}
          spanLabel={spanLabel}
          sync="container"
          theme={theme}
        />
      ))}
    </div>
  );
}
