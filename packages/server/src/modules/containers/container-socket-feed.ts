import {
  type ContainerStats,
  type LogLineView,
  type LogsMessage,
  NoClientMessages,
  type StatsMessage,
  StreamCloseCode,
  type StreamError,
} from '@berth/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { AppError, errorMessage } from '../../core/errors.js';
import { BoundedSender } from '../../http/bounded-sender.js';
import { acceptClientMessages } from '../../http/client-messages.js';
import type { Viewer } from './container-streams.js';

/** Sends the stream's `error` message and closes the socket. */
export function failAndClose(sender: BoundedSender, err: unknown): void {
  const code = err instanceof AppError ? err.code : 'stream_failed';
  sender.json({ type: 'error', code, message: errorMessage(err) } satisfies StreamError);
  sender.close(StreamCloseCode.internalError, code);
}

/** A message to send and how many items it carries (what the viewer's bound counts). */
export interface Outgoing {
  text: string;
  items: number;
}

/**
 * Feeds one WebSocket viewer from a shared stream: each value as the message `encode` makes,
 * `end` when the stream ends, and the subscription dropped when the socket closes (even
 * mid-setup).
 */
export function feedSocket<T>(
  socket: WebSocket,
  log: FastifyBaseLogger,
  maxQueued: number,
  encode: (value: T) => Outgoing,
  follow: (viewer: Viewer<T>) => Promise<() => void>,
): void {
  const sender = new BoundedSender(socket, maxQueued);
  acceptClientMessages(socket, log, {
    schema: NoClientMessages,
    maxTextBytes: 4096,
    onMessage: () => undefined,
  });
  let unsubscribe: (() => void) | null = null;
  let closed = false;
  socket.on('close', () => {
    closed = true;
    unsubscribe?.();
  });
  follow({
    message: (value) => {
      const { text, items } = encode(value);
      sender.send(text, items);
    },
    end: (reason) => {
      sender.json({ type: 'end', reason } satisfies LogsMessage & StatsMessage);
      sender.close(1000, 'end');
    },
    ready: () => sender.whenRoom(),
  }).then(
    (stop) => {
      if (closed) stop();
      else unsubscribe = stop;
    },
    (err: unknown) => failAndClose(sender, err),
  );
}

/**
 * Log lines go out as `{type: 'lines', lines}`. Viewers that asked for the same selection get
 * the same array (see ContainerStreamsService), so it is serialised once for all of them.
 */
const encodedBatches = new WeakMap<LogLineView[], string>();
export function encodeLines(lines: LogLineView[]): Outgoing {
  let text = encodedBatches.get(lines);
  if (text === undefined) {
    text = JSON.stringify({ type: 'lines', lines } satisfies LogsMessage);
    encodedBatches.set(lines, text);
  }
  return { text, items: lines.length };
}

export const encodeStats = (stats: ContainerStats): Outgoing => ({
  text: JSON.stringify({ type: 'stats', ...stats } satisfies StatsMessage),
  items: 1,
});
