import type { StatsManyMessage } from '@berth/contract';
import { useEffect, useRef, useState } from 'react';
import { client, socketUrl } from '../../api/client.js';
import { useCurrentHost } from '../../app/host-paths.js';

/** What a row shows of a running container's live stats. */
export interface LiveUsage {
  cpuPercent: number;
  memory: number;
  memoryLimit: number;
}

/** Scrolling past rows does not start and stop an engine stream for each one flown over. */
const SETTLE_MS = 250;
/** Readings are painted together, at most this often (one reading a second per container). */
const PAINT_MS = 1000;

const stream = client.stats.many;
type StatsReading = Extract<StatsManyMessage, { type: 'stats' }>;

/**
 * Live CPU and memory of the given containers (the running rows on screen) over ONE socket for
 * the page: it subscribes rows as they scroll in and unsubscribes them as they leave, and the
 * server feeds each from the container's shared engine stream. Reconnects by itself.
 */
export function useVisibleStats(ids: readonly string[]): ReadonlyMap<string, LiveUsage> {
  const host = useCurrentHost();
  const [usage, setUsage] = useState<ReadonlyMap<string, LiveUsage>>(new Map());
  const wanted = useRef(new Set<string>());
  const subscribed = useRef(new Set<string>());
  const socket = useRef<WebSocket | null>(null);
  const pending = useRef(new Map<string, LiveUsage | null>());
  const key = [...ids].sort().join(' ');

  const sync = (): void => {
    const ws = socket.current;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const add = [...wanted.current].filter((id) => !subscribed.current.has(id));
    const drop = [...subscribed.current].filter((id) => !wanted.current.has(id));
    for (let i = 0; i < add.length; i += 100)
      ws.send(stream.encode({ type: 'subscribe', ids: add.slice(i, i + 100) }));
    for (let i = 0; i < drop.length; i += 100)
      ws.send(stream.encode({ type: 'unsubscribe', ids: drop.slice(i, i + 100) }));
    for (const id of add) subscribed.current.add(id);
    for (const id of drop) {
      subscribed.current.delete(id);
      pending.current.set(id, null);
    }
  };
  const syncRef = useRef(sync);
  syncRef.current = sync;

  useEffect(() => {
    let stopped = false;
    let retry = 500;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const paint = setInterval(() => {
      if (pending.current.size === 0) return;
      const changes = pending.current;
      pending.current = new Map();
      setUsage((old) => {
        const next = new Map(old);
        for (const [id, value] of changes)
          if (value) next.set(id, value);
          else next.delete(id);
        return next;
      });
    }, PAINT_MS);
    const connect = (): void => {
      const ws = new WebSocket(socketUrl(stream.url({ params: { host } })));
      socket.current = ws;
      ws.onopen = () => {
        retry = 500;
        subscribed.current.clear();
        syncRef.current();
      };
      ws.onmessage = (event: MessageEvent<string>) => {
        const message = stream.parse(event.data);
        if (message.type === 'stats') pending.current.set(message.id, toUsage(message));
        else if (message.type === 'ended') {
          // Stopped or gone: the list's next state says whether it comes back.
          subscribed.current.delete(message.id);
          pending.current.set(message.id, null);
        }
      };
      ws.onclose = () => {
        if (stopped) return;
        timer = setTimeout(connect, retry);
        retry = Math.min(retry * 2, 10_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(paint);
      socket.current?.close();
      socket.current = null;
    };
  }, [host]);

  useEffect(() => {
    const timer = setTimeout(() => {
      wanted.current = new Set(key === '' ? [] : key.split(' '));
      syncRef.current();
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [key]);

  return usage;
}

function toUsage(reading: StatsReading): LiveUsage {
  return {
    cpuPercent: reading.cpuPercent,
    memory: reading.memory.usage,
    memoryLimit: reading.memory.limit,
  };
}
