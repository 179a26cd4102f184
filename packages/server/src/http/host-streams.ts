import { StreamCloseCode } from '@berth/contract';
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { WebSocket } from 'ws';

type WsHandler = (socket: WebSocket, request: FastifyRequest) => unknown;

/** What the streams of a host follow of it. */
export interface HostStreamWatch {
  /** Aborted when the host is removed or changed; undefined for a host that does not exist. */
  retirementOf(hostId: string): AbortSignal | undefined;
  /** Called with the id of a host whose labels changed (a grant by label may be gone). */
  onLabelsChanged(listener: (hostId: string) => void): () => void;
}

/** A close reason is at most 123 bytes. */
function closeReason(reason: string): string {
  return Buffer.from(reason).subarray(0, 123).toString();
}

/**
 * A host's WebSocket streams (events, logs, stats, exec, …) end when the host is removed or
 * changed, or when the caller no longer may see it (its label taken off, for a viewer granted
 * it by that label): each socket of a `/:host/` stream closes with `going away` and the
 * reason, and its handler's own close listener stops what it follows upstream. One place for
 * every stream.
 */
export function endStreamsWithTheirHost(route: RouteOptions, watch: HostStreamWatch): void {
  const handler = (route as { wsHandler?: WsHandler }).wsHandler;
  if (!handler || !route.url.includes(':host')) return;
  (route as { wsHandler?: WsHandler }).wsHandler = (socket, request) => {
    const hostId = (request.params as { host?: unknown }).host;
    if (typeof hostId !== 'string') return handler(socket, request);
    const retired = watch.retirementOf(hostId);
    if (retired) {
      const close = (): void => {
        const reason =
          retired.reason instanceof Error ? retired.reason.message : String(retired.reason);
        socket.close(StreamCloseCode.hostGone, closeReason(reason));
      };
      if (retired.aborted) {
        close();
        return;
      }
      retired.addEventListener('abort', close, { once: true });
      socket.once('close', () => retired.removeEventListener('abort', close));
    }
    const offLabels = watch.onLabelsChanged((changed) => {
      if (changed !== hostId || request.canSeeHost(hostId)) return;
      socket.close(
        StreamCloseCode.hostGone,
        closeReason(`host "${hostId}" is no longer granted to you`),
      );
    });
    socket.once('close', offLabels);
    return handler(socket, request);
  };
}
