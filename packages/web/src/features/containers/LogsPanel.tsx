import { useEffect, useRef, useState } from 'react';
import type { LogLineView } from '@berth/contract';
import { client } from '../../api/client.js';
import { useLiveSocket } from '../../api/live-socket.js';
import { HOST } from '../../app/Layout.js';
import { Button } from '../../components/ui.js';

type Line = LogLineView;

/** Engine timestamps (RFC 3339, up to nanoseconds, trailing zeros cut) in a comparable form. */
const comparable = (timestamp: string): string =>
  timestamp.replace(
    /(?:\.(\d+))?Z$/,
    (_m, fraction: string | undefined) => `.${(fraction ?? '').padEnd(9, '0')}Z`,
  );

/** A history line from before the drop: older than the last one shown, or that very line. */
function alreadyShown(line: Line, last: Line | null): boolean {
  if (!last?.timestamp || !line.timestamp) return false;
  const [a, b] = [comparable(line.timestamp), comparable(last.timestamp)];
  return a < b || (a === b && line.text === last.text);
}

const MAX_LINES = 5_000;

/** Live logs from the shared stream: follow, pause, search with highlight, timestamps, download. */
export function LogsPanel({ containerId }: { containerId: string }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [paused, setPaused] = useState(false);
  const [timestamps, setTimestamps] = useState(false);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState('connecting');
  const buffer = useRef<Line[]>([]);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const bottom = useRef<HTMLDivElement>(null);

  // After a reconnect the stream starts with recent history again: what was shown is skipped.
  const lastShown = useRef<Line | null>(null);
  const skipSeen = useRef(false);
  const frame = useRef(0);
  useEffect(
    () => () => {
      if (frame.current) cancelAnimationFrame(frame.current);
    },
    [],
  );
  const flush = (): void => {
    frame.current = 0;
    if (pausedRef.current) return;
    const fresh = buffer.current;
    buffer.current = [];
    setLines((old) => [...old, ...fresh].slice(-MAX_LINES));
  };
  useLiveSocket(
    client.logs.follow,
    {
      params: { host: HOST, id: containerId },
      query: { tail: 200, timestamps: 'true' },
    },
    {
      onOpen: (reconnected) => {
        skipSeen.current = reconnected;
        setStatus('following');
      },
      onDrop: () => setStatus('reconnecting'),
      onMessage: (message) => {
        let result: 'stop' | undefined;
        if (message.type === 'lines') {
          let fresh = message.lines;
          if (skipSeen.current) {
            const last = lastShown.current;
            fresh = fresh.filter((line) => !alreadyShown(line, last));
            if (fresh.length === 0) return undefined;
            skipSeen.current = false;
          }
          lastShown.current = fresh.at(-1) ?? lastShown.current;
          for (const line of fresh) buffer.current.push(line);
        } else if (message.type === 'end') {
          setStatus(`ended: ${message.reason}`);
          result = 'stop';
        } else if (message.type === 'dropped') {
          buffer.current.push({
            stream: 'stderr',
            text: `… ${message.count} lines skipped (this view fell behind)`,
            timestamp: null,
          });
        }
        frame.current ||= requestAnimationFrame(flush);
        return result;
      },
    },
  );

  useEffect(() => {
    if (!paused) bottom.current?.scrollIntoView({ block: 'end' });
  }, [lines, paused]);

  const shown = search
    ? lines.filter((l) => l.text.toLowerCase().includes(search.toLowerCase()))
    : lines;
  const highlight = (text: string) => {
    if (!search) return text;
    const at = text.toLowerCase().indexOf(search.toLowerCase());
    if (at < 0) return text;
    return (
      <>
        {text.slice(0, at)}
        <mark>{text.slice(at, at + search.length)}</mark>
        {text.slice(at + search.length)}
      </>
    );
  };

  return (
    <section aria-label="Logs">
      <div className="toolbar">
        <Button onClick={() => setPaused(!paused)} aria-pressed={paused}>
          {paused ? 'Resume' : 'Pause'}
        </Button>
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
            params: { host: HOST, id: containerId },
            query: { tail: 'all', timestamps: timestamps ? 'true' : 'false' },
          })}
        >
          Download
        </a>
        <span className="muted" role="status" data-testid="logs-status">
          {status}
        </span>
      </div>
      <div className="logs" data-testid="logs" tabIndex={0} role="log" aria-label="Log lines">
        {shown.map((l, i) => (
          <div key={i} className={l.stream === 'stderr' ? 'log-err' : undefined}>
            {timestamps && l.timestamp && <span className="muted">{l.timestamp} </span>}
            {highlight(l.text)}
          </div>
        ))}
        <div ref={bottom} />
      </div>
    </section>
  );
}
