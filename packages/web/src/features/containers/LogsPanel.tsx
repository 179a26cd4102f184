import { useEffect, useRef, useState } from 'react';
import { wsUrl } from '../../api/client.js';
import { HOST } from '../../app/Layout.js';
import { Button } from '../../components/ui.js';

interface Line {
  stream: string;
  text: string;
  timestamp: string | null;
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

  useEffect(() => {
    const socket = new WebSocket(
      wsUrl(`/api/hosts/${HOST}/containers/${containerId}/logs/stream?tail=200&timestamps=true`),
    );
    let frame = 0;
    const flush = (): void => {
      frame = 0;
      if (pausedRef.current) return;
      const fresh = buffer.current;
      buffer.current = [];
      setLines((old) => [...old, ...fresh].slice(-MAX_LINES));
    };
    socket.onopen = () => setStatus('following');
    socket.onmessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as { type: string } & Partial<Line> & {
          reason?: string;
          count?: number;
        };
      if (message.type === 'line')
        buffer.current.push({
          stream: message.stream ?? 'stdout',
          text: message.text ?? '',
          timestamp: message.timestamp ?? null,
        });
      else if (message.type === 'end') setStatus(`ended: ${message.reason ?? ''}`);
      else if (message.type === 'dropped')
        buffer.current.push({
          stream: 'stderr',
          text: `… ${message.count ?? 0} lines skipped (this view fell behind)`,
          timestamp: null,
        });
      frame ||= requestAnimationFrame(flush);
    };
    socket.onclose = () => setStatus((s) => (s.startsWith('ended') ? s : 'disconnected'));
    return () => {
      socket.close();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [containerId]);

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
          href={`/api/hosts/${HOST}/containers/${containerId}/logs/download?tail=all&timestamps=${timestamps}`}
        >
          Download
        </a>
        <span className="muted" role="status">
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
