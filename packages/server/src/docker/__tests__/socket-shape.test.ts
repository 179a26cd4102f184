import { Agent, createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SocketShape } from '../socket-shape.js';

/** A SocketShape over a TCP connection: the shape alone, as the tunnel and dial-stdio use it. */
class ShapedSocket extends SocketShape<{ end: () => void; close: () => void }> {
  constructor(private readonly inner: Socket) {
    super({ end: () => inner.end(), close: () => inner.destroy() });
    inner.on('data', (chunk: Buffer) => {
      this.touch();
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void) {
    this.touch();
    this.inner.write(chunk, done);
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.clearIdle();
    this.inner.destroy();
    done(err);
  }
}

let server: Server | null = null;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

describe('a socket shape', () => {
  it('keeps one request timeout listener however many requests a kept-alive connection carries', async () => {
    server = createServer((_req, res) => res.end('OK'));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sockets = new Set<ShapedSocket>();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agent.createConnection = () => {
      const socket = new ShapedSocket(connect(port, '127.0.0.1'));
      sockets.add(socket);
      return socket;
    };
    // As EngineClient asks: a timeout on the wait for the answer.
    const once = () =>
      new Promise<void>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, agent, path: '/' }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.setTimeout(5_000, () => req.destroy(new Error('timed out')));
        req.on('error', reject);
        req.end();
      });
    await once();
    const [socket] = [...sockets];
    const after1 = socket?.listenerCount('timeout');
    for (let i = 0; i < 30; i += 1) await once();
    expect(sockets.size).toBe(1);
    expect(socket?.listenerCount('timeout')).toBe(after1);
    agent.destroy();
  });
});
