import { connect } from 'node:tls';
import type { ProxyCertificate } from '@berth/contract';
import { errorMessage } from '../../core/errors.js';

const DAY_MS = 86_400_000;
const EXPIRING_MS = 14 * DAY_MS;
const PROBE_TIMEOUT_MS = 3000;
/** A good certificate is looked at again daily; a missing one soon (Caddy may be issuing it). */
const FRESH_VALID_MS = DAY_MS;
const FRESH_OTHER_MS = 5000;

interface Cached {
  certificate: ProxyCertificate;
  at: number;
}

/** Where Caddy's HTTPS listener is reached from Berth; null while it is not known. */
export type HttpsListener = () => { host: string; port: number } | null;

/**
 * What certificate Caddy serves for each hostname: a TLS handshake to its HTTPS listener with
 * that name as SNI (unverified: only the certificate is read), cached.
 */
export class ProxyCertificates {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly listener: HttpsListener,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached view of each hostname (`unknown` until looked at). */
  cached(hostnames: string[]): ProxyCertificate[] {
    return hostnames.map(
      (hostname) =>
        this.cache.get(hostname)?.certificate ?? {
          hostname,
          issuer: null,
          notBefore: null,
          notAfter: null,
          state: 'unknown',
          reason: 'not looked at yet',
        },
    );
  }

  /** Looks again at the hostnames whose cached view is stale (or all, with `force`). */
  async refresh(hostnames: string[], force = false): Promise<ProxyCertificate[]> {
    await Promise.all(
      hostnames.map(async (hostname) => {
        const entry = this.cache.get(hostname);
        const age = entry ? this.now() - entry.at : Infinity;
        const freshFor = entry?.certificate.state === 'valid' ? FRESH_VALID_MS : FRESH_OTHER_MS;
        if (!force && age < freshFor) return;
        this.cache.set(hostname, { certificate: await this.probe(hostname), at: this.now() });
      }),
    );
    return this.cached(hostnames);
  }

  forget(hostnames: string[]): void {
    for (const hostname of hostnames) this.cache.delete(hostname);
  }

  private probe(hostname: string): Promise<ProxyCertificate> {
    const where = this.listener();
    const none = (state: ProxyCertificate['state'], reason: string): ProxyCertificate => ({
      hostname,
      issuer: null,
      notBefore: null,
      notAfter: null,
      state,
      reason,
    });
    if (where === null)
      return Promise.resolve(none('unknown', "Caddy's HTTPS listener is not known"));
    // A wildcard is asked for with a name under it.
    const servername = hostname.startsWith('*.') ? `berth-check.${hostname.slice(2)}` : hostname;
    return new Promise((resolve) => {
      const socket = connect({
        host: where.host,
        port: where.port,
        servername,
        rejectUnauthorized: false,
        timeout: PROBE_TIMEOUT_MS,
      });
      socket.once('secureConnect', () => {
        const cert = socket.getPeerCertificate();
        socket.destroy();
        if (!cert.valid_to) return resolve(none('none', 'Caddy served no certificate'));
        const notBefore = new Date(cert.valid_from);
        const notAfter = new Date(cert.valid_to);
        const left = notAfter.getTime() - this.now();
        // Short-lived certificates (Caddy's internal CA gives 12 hours) are renewed when a
        // third of their life is left: only past that is one expiring.
        const expiringWithin = Math.min(
          EXPIRING_MS,
          (notAfter.getTime() - notBefore.getTime()) / 3,
        );
        resolve({
          hostname,
          issuer: firstOf(cert.issuer.CN ?? cert.issuer.O),
          notBefore: notBefore.toISOString(),
          notAfter: notAfter.toISOString(),
          state: left <= 0 ? 'expired' : left < expiringWithin ? 'expiring' : 'valid',
          reason: null,
        });
      });
      socket.once('timeout', () => {
        socket.destroy();
        resolve(none('unknown', `no TLS answer from ${where.host}:${where.port}`));
      });
      socket.once('error', (err) => {
        // Caddy ends the handshake with an internal-error alert for a name it holds no
        // certificate for: just after a route is written, while it obtains one.
        const message = errorMessage(err);
        resolve(
          none(
            'none',
            /alert internal error/i.test(message)
              ? 'Caddy has no certificate for this name yet (it may still be obtaining one)'
              : message,
          ),
        );
      });
    });
  }
}

/** A certificate field may repeat; the first is its name. */
function firstOf(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
