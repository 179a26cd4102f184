import { StreamCloseCode } from '@berth/contract';
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { WebSocket } from 'ws';

type WsHandler = (socket: WebSocket, request: FastifyRequest) => unknown;

/**
 * A host's WebSocket streams (events, logs, stats, exec, …) end when the host is removed or
 * changed: each socket of a `/:host/` stream closes with `going away` and the reason, and its
 * handler's own close listener stops what it follows upstream. One place for every stream.
 */
export function endStreamsWithTheirHost(
  route: RouteOptions,
  retirementOf: (hostId: string) => AbortSignal | undefined,
): void {
  const handler = (route as { wsHandler?: WsHandler }).wsHandler;
  if (!handler || !route.url.includes(':host')) return;
  (route as { wsHandler?: WsHandler }).wsHandler = (socket, request) => {
    const hostId = (request.params as { host?: unknown }).host;
    const retired = typeof hostId === 'string' ? retirementOf(hostId) : undefined;
    if (retired) {
      const close = (): void => {
        const reason =
          retired.reason instanceof Error ? retired.reason.message : String(retired.reason);
        // A close reason is at most 123 bytes.
        socket.close(StreamCloseCode.hostGone, Buffer.from(reason).subarray(0, 123).toString());
      };
      if (retired.aborted) {
        close();
        return;
      }
      retired.addEventListener('abort', close, { once: true });
      socket.once('close', () => retired.removeEventListener('abort', close));
    }
    return handler(socket, request);
  };
}
