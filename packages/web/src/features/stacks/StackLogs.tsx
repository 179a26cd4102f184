import type { StackDetail } from '@berth/contract';
import { useEffect, useMemo, useRef, useState } from 'react';
import { client } from '../../api/client.js';
import { useLiveSocket } from '../../api/live-socket.js';
import { useCurrentHost } from '../../app/host-paths.js';
import { serviceColours } from './stack-state.js';

type Message = ReturnType<typeof client.stacks.followLogs.parse>;
type Line = Extract<Message, { type: 'lines' }>['lines'][number];

const MAX_LINES = 5_000;

/**
 * Every service's logs merged (the stack logs stream: history, then live lines), a colour per
 * service, and a filter to one service.
 */
export function StackLogs({ stack }: { stack: StackDetail }) {
  const host = useCurrentHost();
  const [lines, setLines] = useState<Line[]>([]);
  const [status, setStatus] = useState('connecting');
  const [service, setService] = useState('');
  const bottom = useRef<HTMLDivElement>(null);
  const names = stack.services.map((s) => s.name);
  const order = names.join('\n');
  const colours = useMemo(() => serviceColours(order.split('\n')), [order]);
  useLiveSocket(
    client.stacks.followLogs,
    { params: { host, name: stack.name }, query: { tail: 200 } },
    {
      onOpen: (reconnected) => {
        setStatus('live');
        // The stream starts with history again: what is shown is replaced, not doubled.
        if (reconnected) setLines([]);
      },
      onMessage: (message) => {
        if (message.type === 'lines')
          setLines((was) => [...was, ...message.lines].slice(-MAX_LINES));
        else if (message.type === 'dropped') setStatus(`live (${message.count} lines skipped)`);
        else if (message.type === 'end') {
          setStatus(`ended: ${message.reason}`);
          return 'stop';
        } else {
          setStatus(`error: ${message.message}`);
          return 'stop';
        }
        return undefined;
      },
      onDrop: () => setStatus('reconnecting'),
    },
  );
  // In braces: Chromium's scrollIntoView now answers a promise, which React would take for a cleanup.
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [lines.length]);
  const shown = service ? lines.filter((l) => l.service === service) : lines;
  return (
    <section aria-label="Logs">
      <div className="toolbar">
        <select aria-label="Service" value={service} onChange={(e) => setService(e.target.value)}>
          <option value="">All services</option>
          {names.map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
        <span className="muted" role="status" data-testid="stack-logs-status">
          {status}
        </span>
      </div>
      <div
        className="logs"
        tabIndex={0}
        role="log"
        aria-label="Stack logs"
        data-testid="stack-logs"
      >
        {shown.length === 0 && <span className="muted">No lines yet.</span>}
        {shown.map((l, i) => (
          <div key={i} className={l.stream === 'stderr' ? 'log-err' : undefined}>
            <span className={`log-service log-service-${colours.get(l.service) ?? 0}`}>
              {l.service}
            </span>{' '}
            {l.text}
          </div>
        ))}
        <div ref={bottom} />
      </div>
    </section>
  );
}
