import { useEffect, useRef } from 'react';
import { socketUrl } from './client.js';

/** A stream endpoint of the client (`client.logs.follow`): its address and its messages. */
export interface LiveStream<I, M> {
  url(input: I): string;
  parse(data: string): M;
}

export interface LiveSocketHandlers<M> {
  onOpen?: (reconnected: boolean) => void;
  /** Each message, parsed with the stream's schema. Return 'stop' when the stream says it has ended: no reconnect after that. */
  onMessage: (message: M) => 'stop' | void;
  onDrop?: () => void;
}

/**
 * A stream WebSocket that comes back by itself when the connection drops (Wi-Fi, a proxy
 * restart, Chromium's reaction to a new network interface), after 0.5 s and then up to 10 s
 * apart. It stops for good when the page closes it or the stream ends.
 */
export function useLiveSocket<I, M>(
  stream: LiveStream<I, M>,
  input: I,
  handlers: LiveSocketHandlers<M>,
): void {
  const path = stream.url(input);
  const latest = useRef({ handlers, stream });
  latest.current = { handlers, stream };
  useEffect(() => {
    let socket: WebSocket | null = null;
    let stopped = false;
    let ended = false;
    let opened = false;
    let retry = 500;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const connect = (): void => {
      socket = new WebSocket(socketUrl(path));
      socket.onopen = () => {
        retry = 500;
        latest.current.handlers.onOpen?.(opened);
        opened = true;
      };
      socket.onmessage = (event: MessageEvent<string>) => {
        const { handlers: current, stream: endpoint } = latest.current;
        if (current.onMessage(endpoint.parse(event.data)) === 'stop') ended = true;
      };
      socket.onclose = () => {
        if (stopped || ended) return;
        latest.current.handlers.onDrop?.();
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
