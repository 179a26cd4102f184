import { useState } from 'react';
import { client } from '../../api/client.js';
import { useContainer } from '../../api/queries.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { Button } from '../../components/ui.js';
import {
  isoToLocal,
  logWindow,
  RANGE_CHOICES,
  type RangeChoice,
  TAIL_CHOICES,
  type TailChoice,
} from './log-window.js';
import { LogsView } from './LogsView.js';

/**
 * A container's logs: history chosen by lines (tail) and time (since, until), then live lines
 * while it runs; pause, wrap, timestamps, search with highlight, and a download of the same
 * selection.
 */
export function LogsPanel({ containerId }: { containerId: string }) {
  const host = useCurrentHost();
  const detail = useContainer(host, containerId).data;
  const [tail, setTail] = useState<TailChoice>('100');
  const [range, setRange] = useState<RangeChoice>('all');
  // A preset counts back from when it was picked, so the window does not move on each render.
  const [pickedAt, setPickedAt] = useState(() => Date.now());
  const [custom, setCustom] = useState({ since: '', until: '' });
  const [paused, setPaused] = useState(false);
  const [timestamps, setTimestamps] = useState(false);
  const [wrap, setWrap] = useState(true);
  const [search, setSearch] = useState('');

  const chosen = logWindow(tail, range, custom, pickedAt);
  // An invalid custom range keeps the last valid window on screen while it is being typed.
  const [valid, setValid] = useState(() => ('window' in chosen ? chosen.window : { tail }));
  const window = 'window' in chosen ? chosen.window : valid;
  if ('window' in chosen && JSON.stringify(chosen.window) !== JSON.stringify(valid))
    setValid(chosen.window);

  const running = detail?.state === 'running';
  // A new subscription when the window changes or the container starts again.
  const key = `${JSON.stringify(window)}|${detail?.startedAt ?? ''}`;
  const pickRange = (next: RangeChoice): void => {
    setRange(next);
    setPickedAt(Date.now());
    if (next === 'custom' && !custom.since && !custom.until)
      setCustom({ since: isoToLocal(new Date(Date.now() - 60 * 60_000).toISOString()), until: '' });
  };

  return (
    <section aria-label="Logs" className="logs-panel">
      <div className="toolbar logs-toolbar">
        <Button onClick={() => setPaused(!paused)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </Button>
        <label>
          Lines{' '}
          <select
            aria-label="Lines"
            value={tail}
            onChange={(e) => setTail(e.target.value as TailChoice)}
          >
            {TAIL_CHOICES.map((choice) => (
              <option key={choice} value={choice}>
                {choice === 'all' ? 'all' : `last ${choice}`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Time{' '}
          <select
            aria-label="Time range"
            value={range}
            onChange={(e) => pickRange(e.target.value as RangeChoice)}
          >
            {Object.entries(RANGE_CHOICES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {range === 'custom' && (
          <span className="logs-range">
            <label>
              Since{' '}
              <input
                type="datetime-local"
                step={1}
                value={custom.since}
                aria-invalid={'error' in chosen}
                aria-describedby="logs-range-error"
                onChange={(e) => setCustom({ ...custom, since: e.target.value })}
              />
            </label>
            <label>
              Until{' '}
              <input
                type="datetime-local"
                step={1}
                value={custom.until}
                aria-invalid={'error' in chosen}
                aria-describedby="logs-range-error"
                onChange={(e) => setCustom({ ...custom, until: e.target.value })}
              />
            </label>
          </span>
        )}
        <label className="toggle">
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} /> Wrap
          lines
        </label>
        <label className="toggle">
          <input
            type="checkbox"
            checked={timestamps}
            onChange={(e) => setTimestamps(e.target.checked)}
          />{' '}
          Timestamps
        </label>
        <input
          type="search"
          aria-label="Search logs"
          placeholder="Search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <a
          className="btn"
          href={client.logs.download.url({
            params: { host, id: containerId },
            query: {
              tail: window.tail === 'all' ? 'all' : Number(window.tail),
              timestamps: timestamps ? 'true' : 'false',
              ...(window.since ? { since: window.since } : {}),
              ...(window.until ? { until: window.until } : {}),
            },
          })}
        >
          Download
        </a>
      </div>
      {range === 'custom' && (
        <p className="field-error logs-range-error" id="logs-range-error" role="alert">
          {'error' in chosen ? chosen.error : ''}
        </p>
      )}
      <LogsView
        key={key}
        containerId={containerId}
        window={window}
        container={{ running, finishedAt: detail?.finishedAt ?? null }}
        paused={paused}
        timestamps={timestamps}
        wrap={wrap}
        search={search}
      />
    </section>
  );
}
