import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeEngine } from '../host-probe.js';

/** A TCP server that takes connections and never answers: an engine behind a black hole. */
describe('testing a host that never answers', () => {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket));
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers timeout, naming the address', async () => {
    const result = await probeEngine(
      { transport: 'tcp', host: '127.0.0.1', port, tls: null },
      () => Promise.resolve(null),
      200,
    );
    expect(result).toEqual({
      ok: false,
      reason: 'timeout',
      message: `No answer from tcp://127.0.0.1:${port} in time: is the address right, and the port open?`,
    });
  });
});
