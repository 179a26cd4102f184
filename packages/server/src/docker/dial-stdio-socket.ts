import type { ClientChannel } from 'ssh2';
import { SocketShape } from './socket-shape.js';

/** How much of the remote command's stderr is kept to explain a failure. */
const STDERR_LIMIT = 2_048;

/**
 * One Engine API connection over SSH: an exec channel running `docker system dial-stdio` on
 * the remote, shaped like the socket Node's http client expects (timeouts, keep-alive and ref
 * calls are what an Agent makes of a net.Socket). A remote command that ends before the engine
 * said anything — no docker CLI, or no engine behind it — destroys it with `failure(...)`, so
 * the request sees why instead of a bare "socket hang up".
 */
export class DialStdioSocket extends SocketShape {
  private received = false;
  private channelError: Error | null = null;
  private exitCode: number | null = null;
  private stderr = '';
  private written = false;
  private channelClosed = false;
  private settled = false;

  constructor(
    channel: ClientChannel,
    private readonly failure: (exitCode: number | null, stderr: string) => Error,
  ) {
    super(channel);
    channel.on('data', (chunk: Buffer) => {
      this.received = true;
      this.touch();
      if (!this.push(chunk)) channel.pause();
    });
    channel.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < STDERR_LIMIT)
        this.stderr += chunk.toString('utf8').slice(0, STDERR_LIMIT - this.stderr.length);
    });
    channel.on('exit', (code: number | null) => {
      this.exitCode = code;
    });
    // Until the engine spoke, an end waits for the exit status: it tells a failure from a close.
    channel.on('end', () => {
      if (this.received) this.push(null);
    });
    // A remote command that fails at once can end the channel before http took this socket and
    // listened to it: what the close means is told at the first write (http writes the request
    // as soon as it holds the socket), so the request hears it.
    channel.on('close', () => {
      this.channelClosed = true;
      if (this.written) this.settleClose();
    });
    channel.on('error', (err: Error) => {
      this.channelError = err;
      if (this.written) this.destroy(err);
    });
  }

  override _read(): void {
    this.channel.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void) {
    this.written = true;
    if (this.channelClosed) {
      done();
      this.settleClose();
      return;
    }
    this.touch();
    this.channel.write(chunk, done);
  }

  /** The channel closed: a failure if the engine never spoke and the command failed, else an end. */
  private settleClose(): void {
    if (this.settled) return;
    this.settled = true;
    this.clearIdle();
    if (this.channelError) {
      this.destroy(this.channelError);
      return;
    }
    if (!this.received && (this.exitCode !== 0 || this.stderr.trim() !== '')) {
      this.destroy(this.failure(this.exitCode, this.stderr.trim()));
      return;
    }
    if (!this.readableEnded) this.push(null);
    if (!this.destroyed) this.destroy();
  }
}
