import type { WebSocket } from 'ws';

const OPEN = 1;

/**
 * Sends to one WebSocket viewer without letting a slow one grow memory: at most `maxQueued`
 * messages wait; past that the oldest are dropped, and the viewer is told how many.
 */
export class BoundedSender {
  private readonly queue: (string | Buffer)[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | null = null;
  /** Messages dropped over the viewer's whole life. */
  droppedTotal = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly maxQueued = 1_000,
    private readonly highWaterBytes = 1024 * 1024,
  ) {}

  send(message: string | Buffer): void {
    this.queue.push(message);
    if (this.queue.length > this.maxQueued) {
      this.queue.shift();
      this.dropped += 1;
      this.droppedTotal += 1;
    }
    this.flush();
  }

  json(value: unknown): void {
    this.send(JSON.stringify(value));
  }

  get queued(): number {
    return this.queue.length;
  }

  close(code = 1000, reason = ''): void {
    this.flush();
    if (this.timer) clearTimeout(this.timer);
    if (this.socket.readyState === OPEN) this.socket.close(code, reason);
  }

  private flush(): void {
    if (this.socket.readyState !== OPEN) {
      this.queue.length = 0;
      return;
    }
    while (this.queue.length > 0 && this.socket.bufferedAmount < this.highWaterBytes) {
      if (this.dropped > 0) {
        this.socket.send(JSON.stringify({ type: 'dropped', count: this.dropped }));
        this.dropped = 0;
      }
      const next = this.queue.shift();
      if (next !== undefined) this.socket.send(next);
    }
    // The socket has no drain event: look again shortly while a backlog remains.
    if (this.queue.length > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, 25);
    }
  }
}
