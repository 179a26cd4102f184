import { describe, expect, it } from 'vitest';
import { bytes, duration } from '../units.js';
import { parseShortPort } from '../ports.js';
import { parseShortVolume } from '../service-volumes.js';

describe('durations as Go prints them', () => {
  it.each([
    ['10s', '10s'],
    ['90s', '1m30s'],
    ['1m30s', '1m30s'],
    ['1h', '1h0m0s'],
    ['1.5s', '1.5s'],
    ['500ms', '500ms'],
    ['1500ms', '1.5s'],
    ['2m', '2m0s'],
    ['0', '0s'],
    [30, '30s'],
  ])('%s → %s', (input, expected) => {
    expect(duration(input)).toBe(expected);
  });
  it('refuses what is not a duration', () => {
    expect(() => duration('ten seconds')).toThrow('is not a duration');
  });
});

describe('sizes', () => {
  it.each([
    ['512m', 536870912],
    ['1g', 1073741824],
    ['64k', 65536],
    [1024, 1024],
  ])('%s → %d', (input, expected) => {
    expect(bytes(input)).toBe(expected);
  });
});

describe('short port syntax', () => {
  it.each([
    ['80', [{ target: 80, protocol: 'tcp', mode: 'ingress' }]],
    ['8080:80/udp', [{ target: 80, published: '8080', protocol: 'udp', mode: 'ingress' }]],
    [
      '127.0.0.1:8080:80',
      [{ target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' }],
    ],
    [
      '[::1]:53:53/udp',
      [{ target: 53, published: '53', host_ip: '::1', protocol: 'udp', mode: 'ingress' }],
    ],
    ['127.0.0.1::80', [{ target: 80, host_ip: '127.0.0.1', protocol: 'tcp', mode: 'ingress' }]],
    [
      '9090-9091:8080-8081',
      [
        { target: 8080, published: '9090', protocol: 'tcp', mode: 'ingress' },
        { target: 8081, published: '9091', protocol: 'tcp', mode: 'ingress' },
      ],
    ],
    ['8000-8010:80', [{ target: 80, published: '8000-8010', protocol: 'tcp', mode: 'ingress' }]],
  ])('%s', (spec, expected) => {
    expect(parseShortPort(spec)).toEqual(expected);
  });
  it.each([
    ['80/sctp', 'not tcp or udp'],
    ['70000', 'out of range'],
    ['1-3:1-2', 'differ in size'],
    ['web', 'not a container port'],
  ])('%s fails', (spec, message) => {
    expect(() => parseShortPort(spec)).toThrow(message);
  });
});

describe('short volume syntax', () => {
  it.each([
    [
      './data:/data:ro',
      {
        type: 'bind',
        source: '/stack/data',
        target: '/data',
        read_only: true,
        bind: { create_host_path: true },
      },
    ],
    [
      '/srv/x:/x',
      { type: 'bind', source: '/srv/x', target: '/x', bind: { create_host_path: true } },
    ],
    ['db:/var/lib/db', { type: 'volume', source: 'db', target: '/var/lib/db', volume: {} }],
    [
      'db:/var/lib/db:nocopy',
      { type: 'volume', source: 'db', target: '/var/lib/db', volume: { nocopy: true } },
    ],
    ['/cache', { type: 'volume', target: '/cache' }],
    [
      '../up:/up:rw,rshared',
      {
        type: 'bind',
        source: '/up',
        target: '/up',
        read_only: false,
        bind: { create_host_path: true, propagation: 'rshared' },
      },
    ],
  ])('%s', (spec, expected) => {
    expect(parseShortVolume(spec, '/stack')).toEqual(expected);
  });
  it('refuses an unknown option by name', () => {
    expect(() => parseShortVolume('./a:/a:bogus', '/stack')).toThrow(
      '"bogus" in "./a:/a:bogus" is not a volume option',
    );
    expect(() => parseShortVolume('./a:/a:z', '/stack')).toThrow('not supported by Berth yet');
  });
});
