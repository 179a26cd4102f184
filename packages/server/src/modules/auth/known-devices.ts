import { constantTimeEqual, hmac, randomToken } from '../../core/crypto.js';

/** How long a browser keeps its standing after its last successful login. */
export const KNOWN_DEVICE_MAX_AGE_MS = 180 * 24 * 3_600_000;

/**
 * Browsers that have signed in as a user before, remembered by a cookie Berth signs (no
 * database row): such a device keeps its standing when the user's name is under attack, so
 * failures by strangers never lock the owner out. The cookie only ever skips the wait; the
 * password (and code) are still required.
 */
export class KnownDevices {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number = Date.now,
  ) {}

  /** A cookie value for `userId`'s device (a new device id unless one is given). */
  issue(userId: string, deviceId: string = randomToken(16)): string {
    const body = `${userId}.${deviceId}.${Math.floor(this.now() / 1000)}`;
    return `${body}.${hmac(this.key, body)}`;
  }

  /** The device id when `cookie` is one Berth signed for this user and it has not expired. */
  verify(cookie: string | undefined, userId: string): string | null {
    if (!cookie || cookie.length > 512) return null;
    const parts = cookie.split('.');
    const [mac, issuedAt, deviceId] = [parts.pop(), parts.pop(), parts.pop()];
    if (mac === undefined || issuedAt === undefined || !deviceId || parts.join('.') !== userId) {
      return null;
    }
    if (!constantTimeEqual(mac, hmac(this.key, `${userId}.${deviceId}.${issuedAt}`))) return null;
    const issuedMs = Number(issuedAt) * 1000;
    if (!Number.isFinite(issuedMs) || this.now() - issuedMs > KNOWN_DEVICE_MAX_AGE_MS) return null;
    return deviceId;
  }
}
