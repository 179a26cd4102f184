import type { WebSocket } from 'ws';

const OPEN = 1;

interface Queued {
  data: string | Buffer;
  items: number;
}

/**
 * Sends to one WebSocket viewer without letting a slow one grow memory: at most `maxQueued`
 * items (log lines, stats readings) wait; past that the oldest messages are dropped, and the
 * viewer is told how many items it lost. A viewer is held back only by its own socket.
 */
export class BoundedSender {
  private readonly queue: Queued[] = [];
  private queuedItems = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;
  private roomWaiters: (() => void)[] = [];
  /** Items dropped over the viewer's whole life. */
  droppedTotal = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly maxQueued = 1_000,
    private readonly highWaterBytes = 1024 * 1024,
  ) {
    // A closed socket takes nothing more: whoever waits for room stops waiting.
    socket.once('close', () => this.releaseWaiters());
  }

  /**
   * Resolves once at most half the bound waits (or the socket is closed): for a sender that
   * paces itself (a viewer's history) instead of having lines dropped.
   */
  whenRoom(): Promise<void> {
    if (this.hasRoom()) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  private hasRoom(): boolean {
    return this.socket.readyState !== OPEN || this.queuedItems <= this.maxQueued / 2;
  }

  private releaseWaiters(): void {
    for (const resolve of this.roomWaiters.splice(0)) resolve();
  }

  /** Queues one message carrying `items` items (a batch of lines counts each line). */
  send(message: string | Buffer, items = 1): void {
    this.queue.push({ data: message, items });
    this.queuedItems += items;
    // The newest message always stays, however large.
    while (this.queuedItems > this.maxQueued && this.queue.length > 1) {
      const oldest = this.queue.shift();
      if (!oldest) break;
      this.queuedItems -= oldest.items;
      this.dropped += oldest.items;
      this.droppedTotal += oldest.items;
    }
    this.flush();
  }

  json(value: unknown): void {
    this.send(JSON.stringify(value));
  }

  /** Items waiting to be sent. */
  get queued(): number {
    return this.queuedItems;
  }

  close(code = 1000, reason = ''): void {
    this.flush();
    if (this.timer) clearTimeout(this.timer);
    if (this.socket.readyState === OPEN) this.socket.close(code, reason);
  }

  private flush(): void {
    if (this.socket.readyState !== OPEN) {
      this.queue.length = 0;
      this.queuedItems = 0;
      this.releaseWaiters();
      return;
    }
    while (this.queue.length > 0 && this.socket.bufferedAmount < this.highWaterBytes) {
      if (this.dropped > 0) {
        this.socket.send(JSON.stringify({ type: 'dropped', count: this.dropped }));
        this.dropped = 0;
      }
      const next = this.queue.shift();
      if (next === undefined) break;
      this.queuedItems -= next.items;
      this.socket.send(next.data);
    }
    if (this.roomWaiters.length > 0 && this.hasRoom()) this.releaseWaiters();
    // The socket has no drain event: look again shortly while a backlog remains.
    if (this.queue.length > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, 25);
    }
  }
}
