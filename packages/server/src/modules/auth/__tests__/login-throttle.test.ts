import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ApiClient, login, setupAdmin } from '../../../testing/api-client.js';
import { NO_ENGINE, startTestApp, type TestApp } from '../../../testing/test-app.js';
import { KNOWN_DEVICE_MAX_AGE_MS, KnownDevices } from '../known-devices.js';
import { totpCode } from '../totp.js';

const WINDOW_MS = 15 * 60_000;
const WRONG = { username: ADMIN.username, password: 'wrong-password!!' };

function deviceCookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'berth_device');
  if (!cookie) throw new Error(`no device cookie in the answer (${res.statusCode} ${res.body})`);
  return cookie.value;
}

describe('login throttling', () => {
  let t: TestApp;
  let clock = Date.now();
  /** The owner's browser: it logged in before, so it holds a known-device cookie. */
  let ownerDevice = '';
  beforeAll(async () => {
    t = await startTestApp({
      endpoint: NO_ENGINE,
      now: () => clock,
      security: { loginMaxFailures: 5, loginWindowMs: WINDOW_MS },
    });
    await setupAdmin(t.app);
    const res = await new ApiClient(t.app).from('192.0.2.200').post('/api/auth/login', ADMIN);
    expect(res.statusCode).toBe(200);
    ownerDevice = deviceCookieOf(res);
  });
  afterAll(() => t.close());

  /** Each test starts with fresh counters. */
  const nextWindow = (): void => {
    clock += WINDOW_MS + 1000;
  };
  const fromAddress = (ip: string, device?: string): ApiClient =>
    new ApiClient(t.app, device ? { cookie: `berth_device=${device}` } : {}).from(ip);

  it('sets a long-lived known-device cookie sent only to the login routes', async () => {
    const res = await fromAddress('192.0.2.201').post('/api/auth/login', ADMIN);
    const cookie = res.cookies.find((c) => c.name === 'berth_device');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/auth' });
    expect(cookie?.maxAge).toBe(KNOWN_DEVICE_MAX_AGE_MS / 1000);
  });

  it('throttles the address that fails, not the owner elsewhere or on a known device', async () => {
    nextWindow();
    const attacker = fromAddress('192.0.2.10');
    for (let i = 0; i < 5; i += 1) {
      expect((await attacker.post('/api/auth/login', WRONG)).statusCode).toBe(401);
    }
    const blocked = await attacker.post('/api/auth/login', ADMIN);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json()).toMatchObject({ error: { code: 'too_many_attempts' } });
    // Other usernames from that address wait too.
    expect(
      (await attacker.post('/api/auth/login', { username: 'other', password: 'x'.repeat(12) }))
        .statusCode,
    ).toBe(429);

    // The owner from another address, with no cookie at all, gets in.
    expect((await fromAddress('192.0.2.11').post('/api/auth/login', ADMIN)).statusCode).toBe(200);
    // The owner behind the same address (one NAT) gets in from a known device.
    expect(
      (await fromAddress('192.0.2.10', ownerDevice).post('/api/auth/login', ADMIN)).statusCode,
    ).toBe(200);

    nextWindow();
    expect((await attacker.post('/api/auth/login', ADMIN)).statusCode).toBe(200);
  });

  it('slows guesses spread over addresses for unknown devices, never for the known device', async () => {
    nextWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      statuses.push(
        (await fromAddress(`198.51.100.${i}`).post('/api/auth/login', WRONG)).statusCode,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    // The right password from a fresh address without standing waits as well (it cannot be
    // told from the next guess) ...
    const unknown = await fromAddress('198.51.100.99').post('/api/auth/login', ADMIN);
    expect(unknown.statusCode).toBe(429);
    expect(Number(unknown.headers['retry-after'])).toBeGreaterThan(0);
    // ... the owner's known device does not, from any address.
    const owner = await fromAddress('198.51.100.100', ownerDevice).post('/api/auth/login', ADMIN);
    expect(owner.statusCode).toBe(200);
    // Other names are not under attack.
    expect(
      (await fromAddress('198.51.100.101').post('/api/auth/login', { ...WRONG, username: 'bob' }))
        .statusCode,
    ).toBe(401);
  });

  it('never lets one address lock the name, however often it fails', async () => {
    nextWindow();
    const attacker = fromAddress('203.0.113.1');
    for (let i = 0; i < 5; i += 1) await attacker.post('/api/auth/login', WRONG);
    expect((await attacker.post('/api/auth/login', WRONG)).statusCode).toBe(429);
    expect((await fromAddress('203.0.113.2').post('/api/auth/login', ADMIN)).statusCode).toBe(200);
  });

  it('limits a known device by its own failures', async () => {
    nextWindow();
    const device = fromAddress('203.0.113.50', ownerDevice);
    for (let i = 0; i < 5; i += 1) {
      expect((await device.post('/api/auth/login', WRONG)).statusCode).toBe(401);
    }
    expect((await device.post('/api/auth/login', ADMIN)).statusCode).toBe(429);
    // Its own failures spent its standing, so the address limit applies to it too.
    nextWindow();
    expect((await device.post('/api/auth/login', ADMIN)).statusCode).toBe(200);
  });

  it('gives no standing to a forged, altered or foreign device cookie', async () => {
    nextWindow();
    for (let i = 0; i < 5; i += 1) await fromAddress('192.0.2.77').post('/api/auth/login', WRONG);
    const [userId = '', deviceId = '', issuedAt = ''] = ownerDevice.split('.');
    const forged = [
      `${userId}.${deviceId}.${issuedAt}.AAAA`,
      `${userId}.other.${issuedAt}.${ownerDevice.split('.')[3] ?? ''}`,
      'garbage',
    ];
    for (const cookie of forged) {
      const res = await fromAddress('192.0.2.77', cookie).post('/api/auth/login', ADMIN);
      expect(res.statusCode).toBe(429);
    }
    // A cookie signed under another key gives no standing either.
    const other = new KnownDevices(Buffer.alloc(32, 1)).issue(userId);
    expect((await fromAddress('192.0.2.77', other).post('/api/auth/login', ADMIN)).statusCode).toBe(
      429,
    );
  });

  it('keeps the two-factor step for a known device under attack', async () => {
    nextWindow();
    const owner = await login(t.app, ADMIN.username, ADMIN.password);
    const secret = (await owner.post('/api/me/2fa/setup')).json<{ secret: string }>().secret;
    expect(
      (await owner.post('/api/me/2fa/enable', { code: totpCode(secret, clock) })).statusCode,
    ).toBe(200);
    clock += 30_000;
    for (let i = 0; i < 6; i += 1)
      await fromAddress(`198.51.100.${i}`).post('/api/auth/login', WRONG);

    const device = fromAddress('198.51.100.200', ownerDevice);
    const step = await device.post('/api/auth/login', ADMIN);
    expect(step.statusCode).toBe(401);
    expect(step.json()).toMatchObject({ error: { code: 'totp_required' } });
    expect(
      (await device.post('/api/auth/login', { ...ADMIN, totp: '000000' })).json(),
    ).toMatchObject({ error: { code: 'invalid_totp' } });
    const done = await device.post('/api/auth/login', { ...ADMIN, totp: totpCode(secret, clock) });
    expect(done.statusCode).toBe(200);
    // Without standing, the right password and code still wait while the name is under attack.
    clock += 30_000;
    const stranger = await fromAddress('198.51.100.201').post('/api/auth/login', {
      ...ADMIN,
      totp: totpCode(secret, clock),
    });
    expect(stranger.statusCode).toBe(429);
  });
});

describe('KnownDevices', () => {
  it('accepts its own cookie for its user until it is too old', () => {
    let now = 1_800_000_000_000;
    const devices = new KnownDevices(Buffer.alloc(32, 3), () => now);
    const cookie = devices.issue('user-1', 'device-1');
    expect(devices.verify(cookie, 'user-1')).toBe('device-1');
    expect(devices.verify(cookie, 'user-2')).toBeNull();
    expect(new KnownDevices(Buffer.alloc(32, 4), () => now).verify(cookie, 'user-1')).toBeNull();
    expect(devices.verify(undefined, 'user-1')).toBeNull();
    now += KNOWN_DEVICE_MAX_AGE_MS + 1000;
    expect(devices.verify(cookie, 'user-1')).toBeNull();
  });
});
