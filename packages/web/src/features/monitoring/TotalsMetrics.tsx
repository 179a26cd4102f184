import '../../styles/monitoring.css';
import { Suspense, useState } from 'react';
import { lazyPage } from '../../app/lazy-page.js';
import { RangePicker } from '../../components/charts/RangePicker.js';
import { RANGES, rangeById } from '../../components/charts/ranges.js';
import { ErrorNotice } from '../../components/ui.js';
import { useMetricsHistory } from './useMetricsHistory.js';

// uPlot comes with the charts, not with the page around them.
const TotalsCharts = lazyPage(() => import('./TotalsCharts.js'));

/**
 * Recorded totals over a chosen range: a host's (the host page), a stack's (its Metrics tab),
 * or a host's CPU and memory over the last hour, small (the dashboard).
 */
export function TotalsMetrics({
  host,
  stack,
  compact = false,
}: {
  host: string;
  /** A stack of the host: its containers' totals instead of the host's. */
  stack?: string;
  compact?: boolean;
}) {
  const [rangeId, setRangeId] = useState(compact ? '1h' : '24h');
  const range = rangeById(rangeId) ?? RANGES[0];
  const history = useMetricsHistory(
    host,
    stack === undefined ? { kind: 'host' } : { kind: 'stack', name: stack },
    range.seconds,
  );
  // The dashboard says nothing rather than that there is nothing.
  if (compact && !history.data?.series.times.length && !history.error) return null;
  const what = stack === undefined ? 'Host' : 'Stack';
  return (
    <section
      aria-label={compact ? `${what} metrics` : `${what} metrics history`}
      data-testid={stack === undefined ? 'host-metrics' : 'stack-metrics'}
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
        <p className="muted">
          Nothing recorded in the last {range.label} yet
          {stack !== undefined ? ': samples are taken while its containers run.' : '.'}
        </p>
      )}
      {history.data && (
        <Suspense fallback={<p className="muted">Loading charts…</p>}>
          <TotalsCharts
            scope={stack === undefined ? 'host' : 'stack'}
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
