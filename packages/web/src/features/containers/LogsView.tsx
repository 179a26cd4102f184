import { useEffect, useRef, useState } from 'react';
import type { LogLineView } from '@berth/contract';
import { client } from '../../api/client.js';
import { useLiveSocket } from '../../api/live-socket.js';
import { useCurrentHost } from '../../app/host-paths.js';
import type { LogWindow } from './log-window.js';

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

export const MAX_LINES = 10_000;

const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export interface LogsViewProps {
  containerId: string;
  window: LogWindow;
  /** The container as the page knows it: why the stream ended is told from it. */
  container: { running: boolean; finishedAt: string | null };
  paused: boolean;
  timestamps: boolean;
  wrap: boolean;
  search: string;
}

function highlight(text: string, search: string) {
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
}

/**
 * One subscription to the shared logs stream: the window's history, then live lines while the
 * container runs. The panel mounts a new one (by key) when the window changes or the container
 * starts again. When the stream ends the lines stay, and the status says why.
 */
export function LogsView(props: LogsViewProps) {
  const host = useCurrentHost();
  const { containerId, window, container, paused, timestamps, wrap, search } = props;
  const [lines, setLines] = useState<Line[]>([]);
  const [status, setStatus] = useState('connecting');
  const [ended, setEnded] = useState(false);
  const [cut, setCut] = useState(false);
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
    setLines((old) => {
      const all = [...old, ...fresh];
      if (all.length > MAX_LINES) setCut(true);
      return all.slice(-MAX_LINES);
    });
  };
  useLiveSocket(
    client.logs.follow,
    {
      params: { host, id: containerId },
      query: {
        tail: window.tail === 'all' ? 'all' : Number(window.tail),
        timestamps: 'true',
        ...(window.since ? { since: window.since } : {}),
        ...(window.until ? { until: window.until } : {}),
      },
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
          setEnded(true);
          setStatus(`ended: ${message.reason}`);
          result = 'stop';
        } else if (message.type === 'dropped') {
          buffer.current.push({
            stream: 'stderr',
            text: `… ${message.count} lines skipped (this view fell behind)`,
            timestamp: null,
          });
        } else {
          setStatus(`error: ${message.message}`);
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

  let said = status;
  if (ended && window.until) said = `showing lines until ${time.format(new Date(window.until))}`;
  else if (ended && !container.running)
    said = container.finishedAt
      ? `container stopped at ${time.format(new Date(container.finishedAt))}; showing its last lines`
      : 'container not running; showing its last lines';

  return (
    <>
      <p className="muted logs-status" role="status" data-testid="logs-status">
        {said}
        {cut &&
          ` · only the last ${MAX_LINES.toLocaleString()} lines are kept here; Download has all`}
        {search && ` · ${shown.length} of ${lines.length} lines match`}
      </p>
      <div
        className={wrap ? 'logs' : 'logs logs-nowrap'}
        data-testid="logs"
        tabIndex={0}
        role="log"
        aria-label="Log lines"
      >
        {shown.length === 0 && ended && <div className="muted">no lines in this window</div>}
        {shown.map((l, i) => (
          <div key={i} className={l.stream === 'stderr' ? 'log-line log-err' : 'log-line'}>
            {timestamps && l.timestamp && <span className="muted">{l.timestamp} </span>}
            {highlight(l.text, search)}
          </div>
        ))}
        <div ref={bottom} />
      </div>
    </>
  );
}
