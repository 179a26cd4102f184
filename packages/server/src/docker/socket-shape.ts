import { Duplex, type DuplexOptions } from 'node:stream';

/**
 * A Duplex shaped like the net.Socket Node's http client expects of a connection (timeouts,
 * keep-alive and ref calls are what an Agent makes of one), for connections that are channels
 * of a session (SSH dial-stdio, an agent's tunnel) rather than sockets.
 */
export abstract class SocketShape extends Duplex {
  private idleMs = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(options?: DuplexOptions) {
    super(options);
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
