import type { StreamMetrics, StreamProgress, StreamStackProgress } from '@berth/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { client, socketUrl } from './client.js';
import { fleetKeys } from './fleet.js';
import { applyProxyMessage, proxyKeys } from './proxy.js';
import { keys } from './queries.js';

type Listener = (message: StreamProgress) => void;
const progressListeners = new Set<Listener>();

/** Progress of pulls, pushes, builds and backups, for the components that show it. */
export function onProgress(listener: Listener): () => void {
  progressListeners.add(listener);
  return () => progressListeners.delete(listener);
}

type StackListener = (message: StreamStackProgress) => void;
const stackListeners = new Set<StackListener>();

/** Per-service progress of a stack's up, down, start, stop, restart and pull. */
export function onStackProgress(listener: StackListener): () => void {
  stackListeners.add(listener);
  return () => stackListeners.delete(listener);
}

type MetricsListener = (message: StreamMetrics) => void;
const metricsListeners = new Set<MetricsListener>();

/** Each metrics round of the host followed: its totals and its stacks', one point each. */
export function onMetricsRound(listener: MetricsListener): () => void {
  metricsListeners.add(listener);
  return () => metricsListeners.delete(listener);
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
  const queryClient = useQueryClient();
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
          void queryClient.invalidateQueries({ queryKey: keys.containers(host) });
          void queryClient.invalidateQueries({ queryKey: keys.info(host) });
          // A stack's state is its containers': the list and each stack, not their files.
          void queryClient.invalidateQueries({
            queryKey: keys.stacks(host),
            predicate: (query) => query.queryKey.length <= keys.stack(host, '').length,
          });
          // Which containers use a volume is part of the volume list.
          void queryClient.invalidateQueries({ queryKey: keys.volumes(host), exact: true });
          // So are a network's members: the engine's connect event comes before the container's.
          void queryClient.invalidateQueries({ queryKey: keys.networks(host), exact: true });
        }
        if (kind === 'image') void queryClient.invalidateQueries({ queryKey: keys.images(host) });
        if (kind === 'network')
          void queryClient.invalidateQueries({ queryKey: keys.networks(host) });
        if (kind === 'network' || kind === 'container')
          void queryClient.invalidateQueries({ queryKey: keys.topology(host) });
        if (kind === 'volume') void queryClient.invalidateQueries({ queryKey: keys.volumes(host) });
        if (kind === 'swarm') {
          void queryClient.invalidateQueries({ queryKey: keys.swarmServices(host) });
          void queryClient.invalidateQueries({ queryKey: keys.swarmFiles(host) });
          void queryClient.invalidateQueries({ queryKey: keys.swarmStacks(host) });
        }
      }
      void queryClient.invalidateQueries({ queryKey: keys.events(host) });
      // The dashboard and the all-hosts lists count this host's resources too.
      void queryClient.invalidateQueries({ queryKey: fleetKeys.all });
      pending = new Set();
    };
    const connect = (): void => {
      socket = new WebSocket(socketUrl(client.events.stream.url({ params: { host } })));
      socket.onopen = () => {
        retry = 500;
        setConnected(true);
        // Anything may have changed while we were away.
        void queryClient.invalidateQueries({ queryKey: ['hosts', host] });
        void queryClient.invalidateQueries({ queryKey: fleetKeys.all });
        void queryClient.invalidateQueries({ queryKey: proxyKeys.all });
        for (const listener of connectListeners) listener();
      };
      socket.onmessage = (event: MessageEvent<string>) => {
        const message = client.events.stream.parse(event.data);
        if (message.type === 'reachability') {
          // The lists say whether they are current: read them again.
          void queryClient.invalidateQueries({ queryKey: ['hosts', host] });
          // And the host list says whether each host is reachable.
          void queryClient.invalidateQueries({ queryKey: keys.hosts, exact: true });
          void queryClient.invalidateQueries({ queryKey: fleetKeys.all });
        } else if (message.type === 'change') {
          pending.add(message.change.kind);
          frame ||= requestAnimationFrame(flush);
        } else if (message.type === 'progress') {
          for (const listener of progressListeners) listener(message);
        } else if (message.type === 'stack') {
          for (const listener of stackListeners) listener(message);
        } else if (message.type === 'metrics') {
          for (const listener of metricsListeners) listener(message);
        } else if (message.type === 'swarm') {
          // The swarm pages' queries live under ['hosts', host, 'swarm'].
          void queryClient.invalidateQueries({ queryKey: ['hosts', host, 'swarm'] });
          void queryClient.invalidateQueries({ queryKey: keys.swarmStacks(host) });
          void queryClient.invalidateQueries({ queryKey: keys.info(host) });
          void queryClient.invalidateQueries({ queryKey: keys.hosts, exact: true });
        } else if (message.type === 'proxy') {
          applyProxyMessage(queryClient, message);
        } else if (message.type === 'swarm-change') {
          pending.add('swarm');
          frame ||= requestAnimationFrame(flush);
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
  }, [queryClient, host]);
  return connected;
}
