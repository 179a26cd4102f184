import { connect as netConnect } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import type WebSocket from 'ws';
import { connectTrusted, type TrustOptions } from './tls.js';

/**
 * `fetch` for the typed client, with TLS trusted as the context says: Node's own fetch when
 * the system's CAs are all the trust there is; undici with a pinning connector (loaded only
 * then, as it costs every command its start-up time) for a CA file or a fingerprint.
 */
export function trustedFetch(trust: TrustOptions): typeof fetch {
  if (!trust.caFile && !trust.fingerprint) return globalThis.fetch;
  let pinned: Promise<typeof fetch> | undefined;
  return ((input: string, init?: RequestInit) => {
    pinned ??= pinnedFetch(trust);
    return pinned.then((f) => f(input, init));
  }) as typeof fetch;
}

async function pinnedFetch(trust: TrustOptions): Promise<typeof fetch> {
  const { Agent, fetch: undiciFetch } = await import('undici');
  const dispatcher = new Agent({
    connect: (options, callback) => {
      const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
      const secure = options.protocol === 'https:';
      const socket = secure
        ? connectTrusted(
            {
              host: options.hostname,
              port,
              servername: options.servername ?? undefined,
              ALPNProtocols: ['http/1.1'],
            },
            trust,
          )
        : netConnect({ host: options.hostname, port });
      let settled = false;
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        if (settled || socket.destroyed) return;
        settled = true;
        callback(null, socket);
      });
      socket.once('error', (err: Error) => {
        if (settled) return;
        settled = true;
        callback(err, null);
      });
    },
  });
  return ((input: string, init?: RequestInit) =>
    undiciFetch(input, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as typeof fetch;
}

/** Opens a WebSocket to `url` (ws:// or wss://) with the same trust and headers. */
export async function openWebSocket(
  url: string,
  trust: TrustOptions,
  headers: Record<string, string>,
): Promise<WebSocket> {
  const { default: WebSocket } = await import('ws');
  return new WebSocket(url, {
    headers,
    perMessageDeflate: false,
    ...(url.startsWith('wss:')
      ? {
          createConnection: (options: ConnectionOptions) => connectTrusted(options, trust),
        }
      : {}),
  } as WebSocket.ClientOptions);
}
