import '../../styles/monitoring.css';
import { Suspense, useState } from 'react';
import { lazyPage } from '../../app/lazy-page.js';
import { RangePicker } from '../../components/charts/RangePicker.js';
import { RANGES, rangeById } from '../../components/charts/ranges.js';
import { ErrorNotice } from '../../components/ui.js';
import { useMetricsHistory } from './useMetricsHistory.js';

// uPlot comes with the charts, not with the page around them.
const HostCharts = lazyPage(() => import('./HostCharts.js'));

/**
 * A host's recorded totals over a chosen range (the host page), or CPU and memory over the
 * last hour, small (the dashboard).
 */
export function HostMetrics({ host, compact = false }: { host: string; compact?: boolean }) {
  const [rangeId, setRangeId] = useState(compact ? '1h' : '24h');
  const range = rangeById(rangeId) ?? RANGES[0];
  const history = useMetricsHistory(host, null, range.seconds);
  // The dashboard says nothing rather than that there is nothing.
  if (compact && !history.data?.series.times.length && !history.error) return null;
  return (
    <section
      aria-label={compact ? 'Host metrics' : 'Host metrics history'}
      data-testid="host-metrics"
      className="host-metrics"
    >
      {!compact && (
        <div className="toolbar">
          <RangePicker
            groups={[{ label: 'History', choices: RANGES }]}
            value={range.id}
            onChange={setRangeId}
          />
        </div>
      )}
      <ErrorNotice error={history.error} />
      {history.data?.series.times.length === 0 && (
        <p className="muted">Nothing recorded in the last {range.label} yet.</p>
      )}
      {history.data && (
        <Suspense fallback={<p className="muted">Loading charts…</p>}>
          <HostCharts
            series={history.data.series}
            span={{ from: history.data.from, to: history.data.to }}
            spanLabel={`the last ${range.label}`}
            compact={compact}
          />
        </Suspense>
      )}
    </section>
  );
}
