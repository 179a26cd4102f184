import type { StateChange } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { wsUrl } from './client.js';
import { keys } from './queries.js';

export interface ProgressMessage {
  type: 'progress';
  operation: string;
  transferId: string | null;
  subject: string;
  status: string;
  layer: string | null;
  current: number | null;
  total: number | null;
}

type Listener = (message: ProgressMessage) => void;
const progressListeners = new Set<Listener>();

/** Progress of pulls, pushes, builds and backups, for the components that show it. */
export function onProgress(listener: Listener): () => void {
  progressListeners.add(listener);
  return () => progressListeners.delete(listener);
}

const connectListeners = new Set<() => void>();

/**
 * Called each time the events socket (re)connects. Progress sent while it was down is lost, so
 * whoever follows a running operation re-reads where it stands.
 */
export function onEventsConnected(listener: () => void): () => void {
  connectListeners.add(listener);
  return () => connectListeners.delete(listener);
}

/**
 * Keeps the query cache live from the host's events WebSocket: a change invalidates the lists
 * it touches (batched per animation frame), so nothing polls on a timer. Reconnects by itself
 * and reports whether it is connected.
 */
export function useHostEvents(host: string | null): boolean {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    if (!host) return undefined;
    let socket: WebSocket | null = null;
    let stopped = false;
    let retry = 500;
    let pending = new Set<string>();
    let frame = 0;
    const flush = (): void => {
      frame = 0;
      for (const kind of pending) {
        if (kind === 'container') {
          void client.invalidateQueries({ queryKey: keys.containers(host) });
          void client.invalidateQueries({ queryKey: keys.info(host) });
          // Which containers use a volume is part of the volume list.
          void client.invalidateQueries({ queryKey: keys.volumes(host), exact: true });
        }
        if (kind === 'image') void client.invalidateQueries({ queryKey: keys.images(host) });
        if (kind === 'network') void client.invalidateQueries({ queryKey: keys.networks(host) });
        if (kind === 'network' || kind === 'container')
          void client.invalidateQueries({ queryKey: keys.topology(host) });
        if (kind === 'volume') void client.invalidateQueries({ queryKey: keys.volumes(host) });
      }
      void client.invalidateQueries({ queryKey: keys.events(host) });
      pending = new Set();
    };
    const connect = (): void => {
      socket = new WebSocket(wsUrl(`/api/hosts/${host}/events`));
      socket.onopen = () => {
        retry = 500;
        setConnected(true);
        // Anything may have changed while we were away.
        void client.invalidateQueries({ queryKey: ['hosts', host] });
        for (const listener of connectListeners) listener();
      };
      socket.onmessage = (event: MessageEvent<string>) => {
        const message = JSON.parse(event.data) as
          | { type: 'hello' }
          | { type: 'reachability'; reachable: boolean }
          | { type: 'change'; change: StateChange }
          | ProgressMessage;
        if (message.type === 'reachability') {
          // The lists say whether they are current: read them again.
          void client.invalidateQueries({ queryKey: ['hosts', host] });
        } else if (message.type === 'change') {
          pending.add(message.change.kind);
          frame ||= requestAnimationFrame(flush);
        } else if (message.type === 'progress') {
          for (const listener of progressListeners) listener(message);
        }
      };
      socket.onclose = () => {
        setConnected(false);
        if (stopped) return;
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 10_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      socket?.close();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [client, host]);
  return connected;
}
