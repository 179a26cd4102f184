/** One login attempt as the throttle sees it. */
export interface LoginAttempt {
  ip: string;
  username: string;
  /** The caller's known-device id for this user (a valid signed cookie), else null. */
  deviceId: string | null;
}

interface Window {
  resetAt: number;
  count: number;
}

interface NameWindow {
  resetAt: number;
  /** Failures per address within the window. */
  byAddress: Map<string, number>;
}

/** Beyond this many addresses a name is under attack anyway; more are not remembered. */
const MAX_ADDRESSES_PER_NAME = 1_000;

/**
 * Slows down password guessing without letting a stranger lock the owner out.
 *
 * - An **address** with `maxFailures` failures in the window is refused (429) until the window
 *   ends, whatever the username.
 * - A **username** is under attack when its failures in the window reach `maxFailures`,
 *   counting at most `maxFailures - 1` from any one address: a single address is already
 *   stopped by its own limit, so it never locks the name; guesses spread over addresses do.
 *   While it is, attempts for that name from devices without standing are refused.
 * - A **known device** (a browser that signed in as that user before) has standing: it is
 *   refused by neither limit, only by its own failures reaching `maxFailures`.
 *
 * Counters live in memory, in fixed windows from the first failure.
 */
export class LoginThrottle {
  private readonly addresses = new Map<string, Window>();
  private readonly devices = new Map<string, Window>();
  private readonly names = new Map<string, NameWindow>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until this caller may try again, or 0 when it may try now. */
  retryAfterSeconds(attempt: LoginAttempt): number {
    const now = this.now();
    const seconds = (resetAt: number): number => Math.max(1, Math.ceil((resetAt - now) / 1000));
    if (attempt.deviceId !== null) {
      const device = this.live(this.devices, attempt.deviceId, now);
      if (!device || device.count < this.maxFailures) return 0;
      return seconds(device.resetAt);
    }
    let wait = 0;
    const address = this.live(this.addresses, attempt.ip, now);
    if (address && address.count >= this.maxFailures) wait = seconds(address.resetAt);
    const name = this.live(this.names, nameKey(attempt.username), now);
    if (name && this.nameFailures(name) >= this.maxFailures) {
      wait = Math.max(wait, seconds(name.resetAt));
    }
    return wait;
  }

  fail(attempt: LoginAttempt): void {
    const now = this.now();
    this.sweep(now);
    this.count(this.addresses, attempt.ip, now);
    if (attempt.deviceId !== null) {
      // The owner's own typos on a known device do not count against the name.
      this.count(this.devices, attempt.deviceId, now);
      return;
    }
    const key = nameKey(attempt.username);
    let name = this.live(this.names, key, now);
    if (!name) {
      name = { resetAt: now + this.windowMs, byAddress: new Map() };
      this.names.set(key, name);
    }
    const previous = name.byAddress.get(attempt.ip);
    if (previous !== undefined || name.byAddress.size < MAX_ADDRESSES_PER_NAME) {
      name.byAddress.set(attempt.ip, (previous ?? 0) + 1);
    }
  }

  /** A successful login clears the device's own failures (never the address's or the name's). */
  succeed(attempt: LoginAttempt): void {
    if (attempt.deviceId !== null) this.devices.delete(attempt.deviceId);
  }

  private nameFailures(name: NameWindow): number {
    const perAddress = Math.max(1, this.maxFailures - 1);
    let total = 0;
    for (const count of name.byAddress.values()) total += Math.min(count, perAddress);
    return total;
  }

  private live<T extends { resetAt: number }>(
    map: Map<string, T>,
    key: string,
    now: number,
  ): T | undefined {
    const entry = map.get(key);
    if (entry && entry.resetAt <= now) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  private count(map: Map<string, Window>, key: string, now: number): void {
    const entry = this.live(map, key, now);
    if (entry) entry.count += 1;
    else map.set(key, { count: 1, resetAt: now + this.windowMs });
  }

  private sweep(now: number): void {
    for (const map of [this.addresses, this.devices, this.names] as Map<
      string,
      Window | NameWindow
    >[]) {
      if (map.size < 10_000) continue;
      for (const [key, entry] of map) if (entry.resetAt <= now) map.delete(key);
    }
  }
}

function nameKey(username: string): string {
  return username.toLowerCase();
}
