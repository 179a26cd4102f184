import type { NetworkInterfaceInfo } from 'node:os';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

function hostPart(address: string, family: string): string {
  return family === 'IPv6' ? `[${address}]` : address;
}

/**
 * Every URL a server bound to `host` is reachable at: the one address it names, or, for a
 * wildcard (0.0.0.0 or ::), each address of the machine's interfaces (loopback first). IPv6
 * link-local addresses are left out: they need a zone to be used.
 */
export function listenUrls(
  scheme: 'http' | 'https',
  host: string,
  port: number,
  interfaces: Interfaces,
): string[] {
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  if (!wildcard) {
    return [`${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`];
  }
  const families = host === '0.0.0.0' ? new Set(['IPv4']) : new Set(['IPv4', 'IPv6']);
  const addresses = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => families.has(i.family) && !i.address.toLowerCase().startsWith('fe80:'))
    .sort((a, b) => Number(b.internal) - Number(a.internal));
  const urls = addresses.map((i) => `${scheme}://${hostPart(i.address, i.family)}:${port}`);
  return [...new Set(urls)];
}

/**
 * What the start log prints for a person to read: where to open Berth, the SHA-256 fingerprint
 * of the TLS certificate it serves (to check, or pin with `berth login --fingerprint`), and the
 * setup token.
 */
export function startBanner(
  urls: string[],
  setupToken: string | null,
  certificateFingerprint: string | null = null,
): string {
  const [first = '', ...rest] = urls;
  const lines = [`Berth is listening on ${first}`, ...rest.map((url) => `  also on ${url}`)];
  if (certificateFingerprint !== null)
    lines.push(`TLS certificate SHA-256 fingerprint: ${certificateFingerprint}`);
  if (setupToken !== null) {
    lines.push(
      'Berth is not set up yet. Open it and create the first admin with this one-time setup token:',
      setupToken,
    );
  }
  return `${lines.join('\n')}\n`;
}
