import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between an agent and Berth that a test can cut the way networks fail: abruptly
 * (every connection reset, new ones refused) or silently (bytes stop flowing, nothing closes).
 */
export class TcpRelay {
  private server: Server | null = null;
  private readonly pairs = new Set<[Socket, Socket]>();
  /** Connections silenced: open, carrying nothing, until the relay closes. */
  private readonly silenced = new Set<[Socket, Socket]>();
  port = 0;

  constructor(private readonly targetPort: number) {}

  async listen(): Promise<void> {
    const server = createServer((inbound) => {
      const outbound = connect(this.targetPort, '127.0.0.1');
      const pair: [Socket, Socket] = [inbound, outbound];
      this.pairs.add(pair);
      inbound.pipe(outbound);
      outbound.pipe(inbound);
      const end = (): void => {
        inbound.destroy();
        outbound.destroy();
        this.pairs.delete(pair);
      };
      inbound.on('error', end).on('close', end);
      outbound.on('error', end).on('close', end);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    this.port = address.port;
    this.server = server;
  }

  get base(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Resets every connection and refuses new ones until restore(). */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const [inbound, outbound] of this.pairs) {
      inbound.resetAndDestroy();
      outbound.destroy();
    }
    this.pairs.clear();
    for (const [inbound, outbound] of this.silenced) {
      inbound.destroy();
      outbound.destroy();
    }
    this.silenced.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  restore(): Promise<void> {
    return this.listen();
  }

  /** The connections open now stop carrying bytes, and stay open: a pulled cable. */
  silence(): void {
    for (const pair of this.pairs) {
      const [inbound, outbound] = pair;
      inbound.unpipe(outbound);
      outbound.unpipe(inbound);
      inbound.pause();
      outbound.pause();
      this.silenced.add(pair);
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    await this.cut();
  }
}
