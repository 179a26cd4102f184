import { readFileSync } from 'node:fs';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { CliError } from './errors.js';

/** How a server's certificate is trusted: the system's CAs, a CA file, or a pinned fingerprint. */
export interface TrustOptions {
  caFile?: string;
  fingerprint?: string;
}

/** `AB:CD:…` upper case, from any spelling (colons or not, `sha256:` prefix or not). */
export function normaliseFingerprint(text: string): string {
  const hex = text
    .replace(/^sha-?256:?/i, '')
    .replace(/[^0-9a-f]/gi, '')
    .toUpperCase();
  if (hex.length !== 64)
    throw new CliError(`"${text}" is not a SHA-256 fingerprint (64 hex digits)`);
  return hex.match(/../g)?.join(':') ?? hex;
}

/** The pinned certificate is not the one the server showed. */
export class CertificateMismatch extends CliError {
  constructor(
    readonly pinned: string,
    readonly seen: string,
  ) {
    super(
      `the server's certificate is ${seen}, not the pinned ${pinned}: it changed, or this is another server`,
    );
    this.name = 'CertificateMismatch';
  }
}

/** Error codes of a certificate the system (or the CA file) does not vouch for. */
export function isUntrustedCertificate(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET/.test(code);
}

function tlsOptions(trust: TrustOptions): ConnectionOptions {
  if (trust.fingerprint) return { rejectUnauthorized: false };
  if (trust.caFile) {
    try {
      return { ca: readFileSync(trust.caFile) };
    } catch (err) {
      throw new CliError(`cannot read the CA file ${trust.caFile}: ${(err as Error).message}`);
    }
  }
  return {};
}

/**
 * Opens a TLS connection trusting as told. A pinned fingerprint replaces chain validation: the
 * certificate must be exactly that one, whoever signed it (a self-signed Berth). A mismatch
 * destroys the socket with `CertificateMismatch` before a byte is sent.
 */
export function connectTrusted(options: ConnectionOptions, trust: TrustOptions): TLSSocket {
  const pin = trust.fingerprint ? normaliseFingerprint(trust.fingerprint) : undefined;
  const socket = tlsConnect({ ...options, ...tlsOptions(trust) });
  if (pin) {
    socket.once('secureConnect', () => {
      const seen = socket.getPeerCertificate().fingerprint256;
      if (seen !== pin) socket.destroy(new CertificateMismatch(pin, seen));
    });
  }
  return socket;
}

/** The SHA-256 fingerprint of the certificate a server shows (to pin it on first contact). */
export function probeFingerprint(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: hostname,
      port: Number(port) || 443,
      servername: /^[\d.]+$|:/.test(hostname) ? undefined : hostname,
      rejectUnauthorized: false,
    });
    socket.once('secureConnect', () => {
      resolve(socket.getPeerCertificate().fingerprint256);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

/** What first contact with a server found: trusted as configured, or an unknown certificate. */
export type TrustCheck =
  { trusted: true } | { trusted: false; fingerprint: string; reason: string; code: string };

/**
 * Connects once to an https server as `trust` says and reports whether its certificate is
 * trusted; an untrusted one answers its SHA-256 fingerprint, for the user to compare with the
 * one the server printed at start (trust on first use, as ssh). Other failures (nothing
 * listening) are thrown: the request that follows reports them.
 */
export function checkServerTrust(url: string, trust: TrustOptions): Promise<TrustCheck> {
  const { protocol, hostname, port } = new URL(url);
  if (protocol !== 'https:') return Promise.resolve({ trusted: true });
  const host = hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = connectTrusted(
      {
        host,
        port: Number(port) || 443,
        servername: /^[\d.]+$|:/.test(host) ? undefined : host,
      },
      trust,
    );
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve({ trusted: true });
    });
    socket.once('error', (err: Error & { code?: string }) => {
      if (err instanceof CertificateMismatch || !isUntrustedCertificate(err)) {
        reject(err);
        return;
      }
      probeFingerprint(url).then(
        (fingerprint) =>
          resolve({ trusted: false, fingerprint, reason: err.message, code: err.code ?? '' }),
        reject,
      );
    });
  });
}
