/**
 * Runs a refresh per key, coalescing: a key asked for again while queued runs once, and a key
 * asked for while its refresh is in flight runs once more afterwards, never twice at a time.
 * This keeps an event storm (hundreds of containers started at once) to one fetch per object.
 */
export class RefreshQueue {
  private readonly pending = new Set<string>();
  private readonly inflight = new Set<string>();
  private paused = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly refresh: (key: string) => Promise<void>,
    private readonly onError: (key: string, err: unknown) => void,
    private readonly concurrency = 4,
  ) {}

  add(key: string): void {
    this.pending.add(key);
    this.pump();
  }

  /** Holds queued keys until resume(): used while a full resync is under way. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  clear(): void {
    this.pending.clear();
    this.settleIfIdle();
  }

  get size(): number {
    return this.pending.size + this.inflight.size;
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.paused) return;
    for (const key of this.pending) {
      if (this.inflight.size >= this.concurrency) break;
      if (this.inflight.has(key)) continue;
      this.pending.delete(key);
      this.inflight.add(key);
      void this.refresh(key)
        .catch((err: unknown) => this.onError(key, err))
        .finally(() => {
          this.inflight.delete(key);
          this.pump();
          this.settleIfIdle();
        });
    }
  }

  private settleIfIdle(): void {
    if (this.size !== 0 || (this.paused && this.pending.size > 0)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
