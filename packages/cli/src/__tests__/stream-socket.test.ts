import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Session } from '../core/session.js';
import { openStream } from '../core/stream-socket.js';

const MESSAGES = ['{"type":"lines","n":1}', '{"type":"lines","n":2}', '{"type":"end"}'];

function frame(opcode: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
}

/**
 * A server that answers the upgrade and sends its whole stream in the same TCP write, as a
 * loaded Berth can for a stopped container's logs: the frames reach ws with the handshake.
 */
let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer();
  server.on('upgrade', (req, socket) => {
    const key = String(req.headers['sec-websocket-key']);
    const accept = createHash('sha1')
      .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    const head = Buffer.from(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    const frames = MESSAGES.map((m) => frame(0x1, Buffer.from(m)));
    const close = frame(0x8, Buffer.from([0x03, 0xe8]));
    socket.write(Buffer.concat([head, ...frames, close]));
    socket.on('data', () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('openStream', () => {
  it('keeps the frames that came with the handshake for the listener put on after it', async () => {
    const session = {
      socket: (path: string) => Promise.resolve(new WebSocket(`${url}${path}`)),
    } as unknown as Session;
    for (let round = 0; round < 5; round += 1) {
      const socket = await openStream(session, '/stream');
      const received: string[] = [];
      await new Promise<void>((resolve) => {
        socket.on('message', (data: Buffer) => received.push(data.toString('utf8')));
        socket.on('close', () => resolve());
        socket.resume();
      });
      expect(received).toEqual(MESSAGES);
    }
  });
});
