import type { ContainerStats } from '@berth/contract';
import { Suspense, useMemo, useState } from 'react';
import { RangePicker } from '../../components/charts/RangePicker.js';
import { RANGES, rangeById } from '../../components/charts/ranges.js';
import { lazyPage } from '../../app/lazy-page.js';
import { client } from '../../api/client.js';
import { useLiveSocket } from '../../api/live-socket.js';
import { useContainer } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { ErrorNotice } from '../../components/ui.js';
import { withLiveTail } from './metrics-history.js';
import { MAX_SAMPLES, statsSeries, WINDOWS } from './stats-series.js';
import { useMetricsHistory } from '../monitoring/useMetricsHistory.js';

// uPlot comes with the tab, not with the app.
const StatsCharts = lazyPage(() => import('./StatsCharts.js'));

const RANGE_KEY = 'berth.statsRange';
const LIVE = WINDOWS.map((w) => ({
  id: `${w.ms / 60_000}m`,
  label: w.label,
  seconds: w.ms / 1000,
}));
const GROUPS = [
  { label: 'Live', choices: LIVE },
  { label: 'History', choices: RANGES },
];

function storedRange(): string {
  const stored = localStorage.getItem(RANGE_KEY);
  return [...LIVE, ...RANGES].some((r) => r.id === stored) ? (stored ?? '5m') : '5m';
}

/** Engine states with a live stats stream (a paused container still reports memory and PIDs). */
const LIVE_STATES = new Set(['running', 'paused', 'restarting']);

/** The shared stats stream of a container, for as long as this is mounted. */
function LiveFeed({
  containerId,
  onSample,
  onEnd,
}: {
  containerId: string;
  onSample: (sample: ContainerStats) => void;
  onEnd: (reason: string) => void;
}) {
  const host = useCurrentHost();
  useLiveSocket(
    client.stats.follow,
    { params: { host, id: containerId } },
    {
      onMessage: (message) => {
        if (message.type === 'stats') onSample(message);
        if (message.type === 'end') onEnd(message.reason);
        return message.type === 'end' ? 'stop' : undefined;
      },
    },
  );
  return null;
}

/**
 * A container's CPU, memory, network, block I/O and PIDs: the last minutes from the live
 * stream, or the recorded history of hours to days with the live stream appended.
 */
export function StatsPanel({ containerId }: { containerId: string }) {
  const host = useCurrentHost();
  const state = useContainer(host, containerId).data?.state;
  const running = state === undefined || LIVE_STATES.has(state);
  const [samples, setSamples] = useState<ContainerStats[]>([]);
  const [ended, setEnded] = useState<string | null>(null);
  const [rangeId, setRangeId] = useState(storedRange);
  const historyRange = rangeById(rangeId);
  const liveRange = LIVE.find((r) => r.id === rangeId);
  const history = useMetricsHistory(
    host,
    { kind: 'container', id: containerId },
    historyRange?.seconds ?? null,
  );
  const live = useMemo(() => statsSeries(samples), [samples]);
  const series = useMemo(() => {
    if (!historyRange) return live;
    if (!history.data) return null;
    return withLiveTail(history.data.series, live, history.data.step, history.data.from);
  }, [historyRange, history.data, live]);
  const pick = (id: string): void => {
    setRangeId(id);
    localStorage.setItem(RANGE_KEY, id);
  };
  const seconds = historyRange?.seconds ?? liveRange?.seconds ?? 300;
  const label = historyRange ? `the last ${historyRange.label}` : `the last ${seconds / 60} min`;
  const status = !running
    ? null
    : (ended ??
      (samples.length < 2
        ? 'waiting for readings…'
        : historyRange
          ? 'recorded history, live readings appended'
          : 'one reading a second, live'));
  return (
    <section aria-label="Stats" data-testid="stats" data-samples={samples.length}>
      {running && (
        <LiveFeed
          containerId={containerId}
          onSample={(sample) => setSamples((old) => [...old, sample].slice(-MAX_SAMPLES))}
          onEnd={setEnded}
        />
      )}
      <div className="toolbar">
        <RangePicker groups={GROUPS} value={rangeId} onChange={pick} />
        {status && (
          <span className="muted" role="status">
            {status}
          </span>
        )}
      </div>
      {!running && (
        <p className="notice" role="status" data-testid="stats-not-running">
          {state}: not running — no live stats
          {historyRange ? '; the recorded history is below' : ''}
        </p>
      )}
      {historyRange && <ErrorNotice error={history.error} />}
      {historyRange && history.isPending && <p className="muted">Loading the history…</p>}
      {series && (running || historyRange) && (
        <Suspense fallback={<p className="muted">Loading charts…</p>}>
          <StatsCharts
            series={series}
            span={
              history.data && historyRange
                ? { from: history.data.from, to: history.data.to }
                : { trailing: seconds }
            }
            spanLabel={label}
          />
        </Suspense>
      )}
      <p className="muted">Memory counts page cache as available, as docker stats does.</p>
    </section>
  );
}
