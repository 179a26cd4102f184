import { Agent, type ClientRequestArgs } from 'node:http';
import { Duplex, type DuplexOptions } from 'node:stream';
import type { ClientChannel } from 'ssh2';

/**
 * A Duplex shaped like the net.Socket Node's http client expects of a connection (timeouts,
 * keep-alive and ref calls are what an Agent makes of one), for connections that are channels
 * of a session (SSH dial-stdio, an agent's tunnel) rather than sockets.
 */
export abstract class SocketShape<
  C extends { end(): unknown; close(): unknown } = ClientChannel,
> extends Duplex {
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    /** The SSH channel the connection is (what of it the shape ends and closes). */
    protected readonly channel: C,
    options?: DuplexOptions,
  ) {
    super(options);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.channel.end();
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.clearIdle();
    this.channel.close();
    done(err);
  }

  /**
   * As net.Socket: 'timeout' after `ms` without traffic either way; 0 turns it off and takes
   * `onTimeout` off again (Node's http client relies on that when a kept-alive connection is
   * handed back, or each request would leave a listener on it).
   */
  setTimeout(ms: number, onTimeout?: () => void): this {
    this.idleMs = ms;
    if (onTimeout && ms === 0) this.removeListener('timeout', onTimeout);
    else if (onTimeout) this.once('timeout', onTimeout);
    this.touch();
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  /** Traffic went by: the idle timeout starts again. */
  protected touch(): void {
    this.clearIdle();
    if (this.idleMs > 0)
      this.idleTimer = setTimeout(() => this.emit('timeout'), this.idleMs).unref();
  }

  protected clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/** How a pool of channel connections opens one: through the callback, once the channel is open. */
export type OpenChannel = (
  options: ClientRequestArgs,
  oncreate: (err: Error | null, socket: Duplex) => void,
) => undefined;

/** A keep-alive pool of Engine API connections that are channels of a session (SSH, an agent). */
export class ChannelAgent extends Agent {
  constructor(private readonly open: OpenChannel) {
    super({ keepAlive: true });
  }

  override createConnection(
    options: ClientRequestArgs,
    oncreate?: (err: Error | null, socket: Duplex) => void,
  ): undefined {
    if (oncreate) this.open(options, oncreate);
    return undefined;
  }
}
