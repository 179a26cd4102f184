import type { FastifyRequest } from 'fastify';

const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
const DRAIN_LIMIT_MS = 30_000;

/**
 * Before a refusal of a request whose body was not read (too large, wrong type, not allowed):
 * reads the rest and throws it away. Closing a socket with unread data makes the kernel reset
 * it, and a client still sending its body then meets the reset instead of our answer. Bounded:
 * past 64 MiB or 30 s the connection is cut after all.
 */
export function drainUnreadBody(request: FastifyRequest): Promise<void> {
  const raw = request.raw;
  if (raw.complete || raw.readableEnded || typeof raw.socket?.destroy !== 'function')
    return Promise.resolve();
  return new Promise((resolve) => {
    let drained = 0;
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const cut = () => {
      raw.socket.destroy();
      done();
    };
    const timer = setTimeout(cut, DRAIN_LIMIT_MS);
    raw.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > DRAIN_LIMIT_BYTES) cut();
    });
    raw.once('end', done);
    raw.once('close', done);
    raw.once('error', done);
    raw.resume();
  });
}
