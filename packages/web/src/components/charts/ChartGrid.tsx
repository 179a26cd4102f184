import type { ChartSpec } from './chart-specs.js';
import { TimeSeriesChart, type ChartSpan } from './TimeSeriesChart.js';
import { useThemeVersion } from './useThemeVersion.js';

/** Charts side by side over one span, their cursors moving together. Loaded with uPlot. */
export default function ChartGrid({
  specs,
  span,
  spanLabel,
  sync,
  height,
}: {
  specs: ChartSpec[];
  span: ChartSpan;
  spanLabel: string;
  sync: string;
  height?: number;
}) {
  const theme = useThemeVersion();
  return (
    <div className="charts">
      {specs.map((spec) => (
        <TimeSeriesChart
          key={spec.id}
          {...spec}
          span={span}
          spanLabel={spanLabel}
          sync={sync}
          theme={theme}
          {...(height ? { height } : {})}
        />
      ))}
    </div>
  );
}
