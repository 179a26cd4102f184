import type { EventsMessage } from '@berth/contract';
import type { Session } from '../core/session.js';

/** A subscription to the host's events stream; `close()` ends it. */
export interface EventsFollow {
  close(): void;
}

/**
 * Follows the host's events stream (progress of pulls, pushes, builds and stack operations)
 * and resolves once the server said hello, so nothing the next request reports is missed.
 * Progress is a nicety: if the stream cannot be opened the command goes on without it.
 */
export async function followHostEvents(
  session: Session,
  onMessage: (message: EventsMessage) => void,
): Promise<EventsFollow> {
  const endpoint = session.client.events.stream;
  const socket = await session.socket(endpoint.url({ params: { host: session.host } }));
  const follow: EventsFollow = {
    close: () => {
      socket.removeAllListeners('message');
      socket.on('error', () => undefined);
      socket.terminate();
    },
  };
  return new Promise((resolve) => {
    let ready = false;
    const settle = (): void => {
      if (ready) return;
      ready = true;
      resolve(follow);
    };
    socket.on('message', (data: Buffer) => {
      const message = endpoint.parse(data.toString('utf8'));
      if (message.type === 'hello') settle();
      else onMessage(message);
    });
    socket.on('error', settle);
    socket.once('close', settle);
  });
}
