import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { listenUrls, startBanner } from '../listen-urls.js';

const iface = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null }) as NetworkInterfaceInfo;

const machine = {
  eth0: [iface('192.168.1.20', 'IPv4', false), iface('fe80::1', 'IPv6', false)],
  lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
  wlan0: [iface('2001:db8::5', 'IPv6', false)],
};

describe('where the start log says Berth listens', () => {
  it('names the one address it is bound to', () => {
    expect(listenUrls('https', '127.0.0.1', 8443, machine)).toEqual(['https://127.0.0.1:8443']);
    expect(listenUrls('http', '::1', 80, machine)).toEqual(['http://[::1]:80']);
  });

  it('names every IPv4 address for 0.0.0.0, loopback first', () => {
    expect(listenUrls('https', '0.0.0.0', 8443, machine)).toEqual([
      'https://127.0.0.1:8443',
      'https://192.168.1.20:8443',
    ]);
  });

  it('names IPv4 and IPv6 addresses for ::, without link-local ones', () => {
    expect(listenUrls('https', '::', 8443, machine)).toEqual([
      'https://127.0.0.1:8443',
      'https://[::1]:8443',
      'https://192.168.1.20:8443',
      'https://[2001:db8::5]:8443',
    ]);
  });

  it('prints the setup token alone on its line', () => {
    const lines = startBanner(['https://a:1', 'https://b:1'], 'tok-123').split('\n');
    expect(lines).toEqual([
      'Berth is listening on https://a:1',
      '  also on https://b:1',
      'Berth is not set up yet. Open it and create the first admin with this one-time setup token:',
      'tok-123',
      '',
    ]);
  });

  it('prints the TLS certificate fingerprint after the URLs, to compare or pin', () => {
    const lines = startBanner(['https://a:1'], null, 'AB:CD').split('\n');
    expect(lines).toEqual([
      'Berth is listening on https://a:1',
      'TLS certificate SHA-256 fingerprint: AB:CD',
      '',
    ]);
  });
});
