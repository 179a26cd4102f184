import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { hostKeyOf } from '../../docker/ssh-connection.js';

/** SHA-256 (hex) of the public key a PEM certificate carries: what join tokens pin. */
export function publicKeyPin(certificatePem: Buffer): string {
  const der = createPublicKey(certificatePem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** A new join token's secret (hex) and the SHA-256 (hex) Berth keeps of it. */
export function newTokenSecret(): { secret: string; hash: string } {
  const secret = randomBytes(32).toString('hex');
  return { secret, hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** `SHA256:…` of an OpenSSH public key line, as the SSH handshake shows the key. */
export function fingerprintOf(publicKeyLine: string): string {
  const blob = Buffer.from(publicKeyLine.split(' ')[1] ?? '', 'base64');
  return hostKeyOf(blob).fingerprint;
}
