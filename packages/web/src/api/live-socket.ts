import { useEffect, useRef } from 'react';
import { wsUrl } from './client.js';

export interface LiveSocketHandlers {
  onOpen?: (reconnected: boolean) => void;
  /** Return 'stop' when the stream says it has ended: no reconnect after that. */
  onMessage: (data: string) => 'stop' | void;
  onDrop?: () => void;
}

/**
 * A stream WebSocket that comes back by itself when the connection drops (Wi-Fi, a proxy
 * restart, Chromium's reaction to a new network interface), after 0.5 s and then up to 10 s
 * apart. It stops for good when the page closes it or the stream ends.
 */
export function useLiveSocket(path: string, handlers: LiveSocketHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    let socket: WebSocket | null = null;
    let stopped = false;
    let ended = false;
    let opened = false;
    let retry = 500;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = (): void => {
      socket = new WebSocket(wsUrl(path));
      socket.onopen = () => {
        retry = 500;
        latest.current.onOpen?.(opened);
        opened = true;
      };
      socket.onmessage = (event: MessageEvent<string>) => {
        if (latest.current.onMessage(event.data) === 'stop') ended = true;
      };
      socket.onclose = () => {
        if (stopped || ended) return;
        latest.current.onDrop?.();
        timer = setTimeout(connect, retry);
        retry = Math.min(retry * 2, 10_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, [path]);
}
