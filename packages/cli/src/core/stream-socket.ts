import type { IncomingMessage } from 'node:http';
import { ApiError, ErrorBody, NetworkError } from '@berth/contract';
import type WebSocket from 'ws';
import type { Session } from './session.js';

/** The error a refused upgrade answered (404 no such container, 409 not running, 400 bad input). */
async function refusal(response: IncomingMessage): Promise<ApiError> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const status = response.statusCode ?? 0;
  try {
    const body = ErrorBody.parse(JSON.parse(text));
    return new ApiError(status, body.error.code, body.error.message, body.error.details);
  } catch {
    return new ApiError(status, `http_${status}`, text.trim() || `the server answered ${status}`);
  }
}

/**
 * Opens a stream route's WebSocket (a path the typed client's `url()` gave) and resolves once
 * it is open; a refusal rejects with the server's error, as an HTTP call would.
 *
 * The socket comes back paused: frames that arrived with the handshake (a stopped container's
 * whole history can) are read only once the caller has put its `message` listener on and
 * called `resume()`. Resolving an awaited promise runs after ws has begun reading them, so
 * a socket left flowing would drop them before anyone listened.
 */
export async function openStream(session: Session, path: string): Promise<WebSocket> {
  const socket = await session.socket(path);
  return new Promise((resolve, reject) => {
    let refused = false;
    socket.once('open', () => {
      socket.pause();
      resolve(socket);
    });
    socket.once('unexpected-response', (_request, response: IncomingMessage) => {
      refused = true;
      refusal(response)
        .then(reject, reject)
        .finally(() => socket.terminate());
    });
    socket.on('error', (err) => {
      // After a refusal ws reports the aborted handshake too: the refusal is the answer.
      if (!refused) reject(new NetworkError(err));
    });
  });
}
