import { Duplex, PassThrough } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { DialStdioSocket } from '../dial-stdio-socket.js';

/**
 * A stand-in for an ssh2 exec channel whose remote command ends at once (no docker CLI): the
 * error path alone, which the real sshd test only meets when the timing falls that way.
 */
class EndedChannel extends Duplex {
  readonly stderr = new PassThrough();
  override _read(): void {}
  override _write(_chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    done();
  }
  close(): void {}
}

const failure = (code: number | null, stderr: string) =>
  Object.assign(new Error(`exit ${code ?? '?'}: ${stderr}`), { code: 'engine_not_found' });

describe('a dial-stdio socket', () => {
  it('tells the request why, even when the remote command ended before http held the socket', async () => {
    const channel = new EndedChannel();
    const socket = new DialStdioSocket(channel as unknown as ClientChannel, failure);
    // Everything the remote sent arrives before anyone listens to the socket.
    channel.stderr.write('bash: line 1: docker: command not found\n');
    channel.emit('exit', 127);
    channel.push(null);
    await new Promise((resolve) => channel.once('end', resolve));
    channel.emit('close');
    await new Promise((resolve) => setImmediate(resolve));

    // Then http takes the socket, listens, and writes its request.
    const failed = new Promise<Error>((resolve) => socket.once('error', resolve));
    socket.write('GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n');
    const err = await failed;
    expect(err.message).toBe('exit 127: bash: line 1: docker: command not found');
    expect(err).toMatchObject({ code: 'engine_not_found' });
  });

  it('ends like a socket when the engine spoke and the channel closed', async () => {
    const channel = new EndedChannel();
    const socket = new DialStdioSocket(channel as unknown as ClientChannel, failure);
    const received: string[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    const ended = new Promise((resolve) => socket.once('end', resolve));
    socket.write('GET /_ping HTTP/1.1\r\n\r\n');
    channel.push('HTTP/1.1 200 OK\r\n\r\nOK');
    channel.emit('exit', 0);
    channel.push(null);
    await new Promise((resolve) => channel.once('end', resolve));
    channel.emit('close');
    await ended;
    expect(received.join('')).toContain('200 OK');
  });
});
