import {
  type ContainerStats,
  STATS_MANY_MAX,
  STATS_MANY_MAX_BYTES,
  StatsManyControl,
  type StatsManyMessage,
} from '@berth/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { errorMessage } from '../../core/errors.js';
import { BoundedSender } from '../../http/bounded-sender.js';
import { acceptClientMessages } from '../../http/client-messages.js';
import type { Viewer } from './container-streams.js';

/** Readings waiting for a slow viewer, across its containers (a few per row on screen). */
const MAX_QUEUED = 4 * STATS_MANY_MAX;

interface Following {
  stop: (() => void) | null;
}

/**
 * Feeds one WebSocket that follows the stats of several containers (the rows a list has on
 * screen). Each `subscribe` joins the container's shared stream, each `unsubscribe` leaves it,
 * and closing the socket leaves them all; a container whose stream ends is told apart
 * (`ended`), the others go on.
 */
export function feedManyStats(
  socket: WebSocket,
  log: FastifyBaseLogger,
  follow: (ref: string, viewer: Viewer<ContainerStats>) => Promise<() => void>,
): void {
  const sender = new BoundedSender(socket, MAX_QUEUED);
  const following = new Map<string, Following>();
  let closed = false;
  const send = (message: StatsManyMessage): void => sender.json(message);

  const subscribe = (ref: string): void => {
    if (following.has(ref)) return;
    if (following.size >= STATS_MANY_MAX) {
      send({ type: 'ended', id: ref, reason: `at most ${STATS_MANY_MAX} containers at once` });
      return;
    }
    const entry: Following = { stop: null };
    following.set(ref, entry);
    const current = (): boolean => following.get(ref) === entry;
    follow(ref, {
      message: (stats) => {
        // A socket that is closing (a refused frame, a client gone) no longer holds its streams,
        // even before the close handshake ends.
        if (socket.readyState !== socket.OPEN) leaveAll();
        else sender.send(JSON.stringify({ type: 'stats', id: ref, ...stats }));
      },
      end: (reason) => {
        if (!current()) return;
        following.delete(ref);
        send({ type: 'ended', id: ref, reason });
      },
    }).then(
      (stop) => {
        if (closed || !current()) stop();
        else entry.stop = stop;
      },
      (err: unknown) => {
        if (!current()) return;
        following.delete(ref);
        send({ type: 'ended', id: ref, reason: errorMessage(err) });
      },
    );
  };
  const unsubscribe = (ref: string): void => {
    const entry = following.get(ref);
    if (!entry) return;
    following.delete(ref);
    entry.stop?.();
  };

  function leaveAll(): void {
    closed = true;
    for (const ref of [...following.keys()]) unsubscribe(ref);
  }

  acceptClientMessages(socket, log, {
    schema: StatsManyControl,
    maxTextBytes: STATS_MANY_MAX_BYTES,
    onMessage: (control) => {
      for (const ref of control.ids)
        if (control.type === 'subscribe') subscribe(ref);
        else unsubscribe(ref);
    },
  });
  socket.on('close', leaveAll);
}
