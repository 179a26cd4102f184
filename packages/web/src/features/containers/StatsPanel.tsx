import type { ContainerStats } from '@berth/contract';
import { Suspense, useMemo, useState } from 'react';
import { lazyPage } from '../../app/lazy-page.js';
import { client } from '../../api/client.js';
import { useLiveSocket } from '../../api/live-socket.js';
import { useContainer } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { MAX_SAMPLES, statsSeries, WINDOWS } from './stats-series.js';

// uPlot comes with the tab, not with the app.
const StatsCharts = lazyPage(() => import('./StatsCharts.js'));

const WINDOW_KEY = 'berth.statsWindow';

function storedWindow(): number {
  const stored = Number(localStorage.getItem(WINDOW_KEY));
  return WINDOWS.some((w) => w.ms === stored) ? stored : WINDOWS[1].ms;
}

/** Engine states with a live stats stream (a paused container still reports memory and PIDs). */
const LIVE_STATES = new Set(['running', 'paused', 'restarting']);

/** Live CPU, memory, network, block I/O and PIDs from the shared stats stream, as charts. */
export function StatsPanel({ containerId }: { containerId: string }) {
  const host = useCurrentHost();
  const state = useContainer(host, containerId).data?.state;
  if (state !== undefined && !LIVE_STATES.has(state))
    return (
      <section aria-label="Stats" data-testid="stats" data-samples={0}>
        <p className="notice" role="status" data-testid="stats-not-running">
          {state}: not running — no live stats
        </p>
      </section>
    );
  return <LiveStats containerId={containerId} />;
}

function LiveStats({ containerId }: { containerId: string }) {
  const host = useCurrentHost();
  const [samples, setSamples] = useState<ContainerStats[]>([]);
  const [ended, setEnded] = useState<string | null>(null);
  const [windowMs, setWindowMs] = useState(storedWindow);
  useLiveSocket(
    client.stats.follow,
    { params: { host, id: containerId } },
    {
      onMessage: (message) => {
        if (message.type === 'stats') setSamples((old) => [...old, message].slice(-MAX_SAMPLES));
        if (message.type === 'end') setEnded(message.reason);
        return message.type === 'end' ? 'stop' : undefined;
      },
    },
  );
  const series = useMemo(() => statsSeries(samples), [samples]);
  const pick = (ms: number): void => {
    setWindowMs(ms);
    localStorage.setItem(WINDOW_KEY, String(ms));
  };
  return (
    <section aria-label="Stats" data-testid="stats" data-samples={samples.length}>
      <div className="toolbar">
        <div role="group" aria-label="Time window" className="segmented">
          {WINDOWS.map((w) => (
            <button
              key={w.ms}
              type="button"
              aria-pressed={windowMs === w.ms}
              className="btn btn-small"
              onClick={() => pick(w.ms)}
            >
              {w.label}
            </button>
          ))}
        </div>
        <span className="muted" role="status">
          {ended ?? (samples.length < 2 ? 'waiting for readings…' : 'one reading a second, live')}
        </span>
      </div>
      <Suspense fallback={<p className="muted">Loading charts…</p>}>
        <StatsCharts
          series={series}
          span={{ trailing: windowMs / 1000 }}
          spanLabel={`the last ${windowMs / 60_000} min`}
        />
      </Suspense>
      <p className="muted">Memory counts page cache as available, as docker stats does.</p>
    </section>
  );
}
