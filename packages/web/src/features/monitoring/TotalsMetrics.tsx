import '../../styles/monitoring.css';
import type { MetricsPoint } from '@berth/contract';
import { Suspense, useEffect, useMemo, useState } from 'react';
import { onMetricsRound } from '../../api/live.js';
import { lazyPage } from '../../app/lazy-page.js';
import { RangePicker } from '../../components/charts/RangePicker.js';
import { RANGES, rangeById } from '../../components/charts/ranges.js';
import { ErrorNotice } from '../../components/ui.js';
import { historySeries, withLiveTail } from '../containers/metrics-history.js';
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
  const live = useLiveRounds(host, stack);
  const series = useMemo(() => {
    if (!history.data) return null;
    const { step, from } = history.data;
    return withLiveTail(history.data.series, historySeries({ points: live, step }), step, from);
  }, [history.data, live]);
  // The dashboard says nothing rather than that there is nothing.
  if (compact && !series?.times.length && !history.error) return null;
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
      {series?.times.length === 0 && (
        <p className="muted">
          Nothing recorded in the last {range.label} yet
          {stack !== undefined ? ': samples are taken while its containers run.' : '.'}
        </p>
      )}
      {history.data && series && (
        <Suspense fallback={<p className="muted">Loading charts…</p>}>
          <TotalsCharts
            scope={stack === undefined ? 'host' : 'stack'}
            series={series}
            span={{ from: history.data.from, to: history.data.to }}
            spanLabel={`the last ${range.label}`}
            compact={compact}
          />
        </Suspense>
      )}
    </section>
  );
}

/** Rounds kept in the page: a day of them at the default 15 s, and some. */
const MAX_ROUNDS = 6_000;

/**
 * The sampler's rounds since the page opened, from the host's events stream: the host's totals
 * or one stack's, appended to the recorded history (which is read again once a step).
 */
function useLiveRounds(host: string, stack: string | undefined): MetricsPoint[] {
  const [points, setPoints] = useState<MetricsPoint[]>([]);
  useEffect(() => {
    setPoints([]);
    return onMetricsRound((message) => {
      if (message.host !== host) return;
      const point = stack === undefined ? message.totals : message.stacks[stack];
      if (point) setPoints((kept) => [...kept.slice(-(MAX_ROUNDS - 1)), point]);
    });
  }, [host, stack]);
  return points;
}
