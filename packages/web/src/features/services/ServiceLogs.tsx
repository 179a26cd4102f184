import type { ServiceLogLine } from '@berth/contract';
import { useEffect, useRef, useState } from 'react';
import { client } from '../../api/client.js';
import { useLiveSocket } from '../../api/live-socket.js';
import { useCurrentHost } from '../../app/host-paths.js';

const MAX_LINES = 2_000;

/** A service's logs, every task merged, followed live (one shared upstream on the server). */
export function ServiceLogs({ service }: { service: string }) {
  const host = useCurrentHost();
  const [lines, setLines] = useState<ServiceLogLine[]>([]);
  const [ended, setEnded] = useState<string | null>(null);
  const box = useRef<HTMLPreElement>(null);
  useLiveSocket(
    client.serviceLogs.stream,
    { params: { host, id: service }, query: { tail: 200 } },
    {
      onOpen: () => {
        setLines([]);
        setEnded(null);
      },
      onMessage: (message) => {
        if (message.type === 'lines')
          setLines((was) => [...was, ...message.lines].slice(-MAX_LINES));
        if (message.type === 'end' || message.type === 'error') {
          setEnded(message.type === 'end' ? message.reason : message.message);
          return 'stop';
        }
        return undefined;
      },
    },
  );
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines]);
  return (
    <div>
      <p className="muted" role="status">
        {ended ? `Stopped: ${ended}` : `Following ${service} live · ${lines.length} lines`}
      </p>
      <pre
        className="svc-logs"
        ref={box}
        data-testid="service-logs"
        tabIndex={0}
        aria-label="Service logs"
      >
        {lines.map((l, i) => (
          <div key={i} className={l.stream === 'stderr' ? 'log-stderr' : undefined}>
            <span className="muted">{(l.task ?? '').slice(0, 8)} </span>
            {l.text}
          </div>
        ))}
      </pre>
    </div>
  );
}
