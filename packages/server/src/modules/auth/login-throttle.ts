/**
 * Counts failed logins per IP and per username in a fixed window. Once either reaches the limit,
 * logins from that IP or for that name are refused until the window ends.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until a blocked caller may try again, or 0 when it may try now. */
  retryAfterSeconds(ip: string, username: string): number {
    const now = this.now();
    let wait = 0;
    for (const key of [`ip:${ip}`, `user:${username.toLowerCase()}`]) {
      const entry = this.failures.get(key);
      if (entry && entry.resetAt > now && entry.count >= this.maxFailures) {
        wait = Math.max(wait, Math.ceil((entry.resetAt - now) / 1000));
      }
    }
    return wait;
  }

  fail(ip: string, username: string): void {
    const now = this.now();
    this.sweep(now);
    for (const key of [`ip:${ip}`, `user:${username.toLowerCase()}`]) {
      const entry = this.failures.get(key);
      if (!entry || entry.resetAt <= now)
        this.failures.set(key, { count: 1, resetAt: now + this.windowMs });
      else entry.count += 1;
    }
  }

  succeed(username: string): void {
    this.failures.delete(`user:${username.toLowerCase()}`);
  }

  private sweep(now: number): void {
    if (this.failures.size < 10_000) return;
    for (const [key, entry] of this.failures) if (entry.resetAt <= now) this.failures.delete(key);
  }
}
