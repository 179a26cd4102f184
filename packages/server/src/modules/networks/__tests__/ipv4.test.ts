import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  cidrSize,
  cidrsOverlap,
  findFreeSubnet,
  formatCidr,
  intToIp,
  ipToInt,
  isIpv4,
  nextFreeIp,
  oversized,
  parseCidr,
  suggestPrefix,
  usableAddressesLeft,
  usableHosts,
} from '../ipv4.js';

describe('ipToInt / intToIp', () => {
  it.each([
    ['0.0.0.0', 0],
    ['0.0.0.1', 1],
    ['10.0.0.1', 0x0a000001],
    ['172.16.0.0', 0xac100000],
    ['192.168.1.255', 0xc0a801ff],
    ['255.255.255.255', 0xffffffff],
  ])('%s <-> %i', (text, value) => {
    expect(ipToInt(text)).toBe(value);
    expect(intToIp(value)).toBe(text);
  });

  it('gives unsigned values above 2^31', () => {
    expect(ipToInt('200.0.0.0')).toBeGreaterThan(2 ** 31);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '1.2.3.-4',
    'a.b.c.d',
    ' 1.2.3.4',
    '01.2.3.4',
    '::1',
  ])('rejects %j', (text) => {
    expect(() => ipToInt(text)).toThrow(`"${text}" is not an IPv4 address`);
    expect(isIpv4(text)).toBe(false);
  });

  it.each([-1, 2 ** 32, 1.5, Number.NaN])('intToIp rejects %d', (value) => {
    expect(() => intToIp(value)).toThrow(RangeError);
  });
});

describe('parseCidr / formatCidr', () => {
  it.each([
    ['10.0.0.0/8', 0x0a000000, 8],
    ['192.168.1.0/24', 0xc0a80100, 24],
    ['192.168.1.7/32', 0xc0a80107, 32],
    ['192.168.1.6/31', 0xc0a80106, 31],
    ['0.0.0.0/0', 0, 0],
  ])('%s', (text, network, prefix) => {
    expect(parseCidr(text)).toEqual({ network, prefix });
    expect(formatCidr({ network, prefix })).toBe(text);
  });

  it('refuses host bits and names the network that was probably meant', () => {
    expect(() => parseCidr('10.0.0.1/24')).toThrow(
      new Error('10.0.0.1/24 has host bits set: did you mean 10.0.0.0/24?'),
    );
    expect(() => parseCidr('192.168.1.7/31')).toThrow('did you mean 192.168.1.6/31?');
    expect(() => parseCidr('1.0.0.0/0')).toThrow('did you mean 0.0.0.0/0?');
  });

  it.each([
    ['10.0.0.0', 'is not a CIDR block (expected address/prefix'],
    ['10.0.0.0/', 'the prefix length must be 0 to 32'],
    ['10.0.0.0/33', 'the prefix length must be 0 to 32'],
    ['10.0.0.0/024', 'the prefix length must be 0 to 32'],
    ['10.0.0.0/-1', 'the prefix length must be 0 to 32'],
    ['10.0.0.0/8/8', 'the prefix length must be 0 to 32'],
    ['10.0.0/8', '"10.0.0" is not an IPv4 address'],
    ['fd00::/64', 'is not an IPv4 address'],
  ])('rejects %s', (text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
  });

  it('formatCidr refuses host bits and out-of-range prefixes', () => {
    expect(() => formatCidr({ network: ipToInt('10.0.0.1'), prefix: 24 })).toThrow(
      '10.0.0.1/24 has host bits set',
    );
    expect(() => formatCidr({ network: 0, prefix: 33 })).toThrow(RangeError);
  });
});

describe('cidrContains', () => {
  it.each([
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['192.168.1.0/24', '192.168.1.0', true],
    ['192.168.1.0/24', '192.168.2.1', false],
    ['192.168.1.5/32', '192.168.1.5', true],
    ['192.168.1.5/32', '192.168.1.6', false],
    ['192.168.1.4/31', '192.168.1.5', true],
    ['0.0.0.0/0', '203.0.113.9', true],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(cidrContains(cidr, ip)).toBe(expected);
  });
});

describe('cidrsOverlap', () => {
  it.each([
    ['10.0.0.0/8', '10.20.30.0/24', true],
    ['10.20.30.0/24', '10.0.0.0/8', true],
    ['10.0.0.0/24', '10.0.0.0/24', true],
    ['10.0.0.0/24', '10.0.1.0/24', false],
    ['172.16.0.0/12', '172.32.0.0/16', false],
    ['172.16.0.0/12', '172.31.255.252/30', true],
    ['192.168.0.0/16', '192.168.0.7/32', true],
    ['0.0.0.0/0', '8.8.8.8/32', true],
    ['10.0.0.4/31', '10.0.0.6/31', false],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(cidrsOverlap(a, b)).toBe(expected);
  });
});

describe('cidrSize / usableHosts', () => {
  it.each([
    [0, 2 ** 32, 2 ** 32 - 3],
    [8, 16_777_216, 16_777_213],
    [16, 65_536, 65_533],
    [24, 256, 253],
    [29, 8, 5],
    [30, 4, 1],
    [31, 2, 2],
    [32, 1, 1],
  ])('/%i holds %i addresses, %i usable', (prefix, size, usable) => {
    expect(cidrSize(prefix)).toBe(size);
    expect(usableHosts(prefix)).toBe(usable);
  });

  it.each([-1, 33, 24.5])('rejects prefix %d', (prefix) => {
    expect(() => cidrSize(prefix)).toThrow(RangeError);
    expect(() => usableHosts(prefix)).toThrow(RangeError);
  });
});

describe('suggestPrefix', () => {
  it.each([
    // expected + max(4, ceil(expected × headroom)) must fit in usableHosts(prefix)
    [0, 'medium', 29], // needs 4, /29 has 5
    [1, 'raspberry-pi', 29], // needs 5
    [2, 'medium', 28], // needs 6
    [3, 'medium', 28], // needs 7, /28 has 13
    [8, 'low-end', 28], // needs 12
    [9, 'low-end', 27], // needs 14
    [6, 'enterprise', 28], // needs 12
    [7, 'enterprise', 27], // needs 14
    [20, 'raspberry-pi', 26], // needs 30, /27 has only 29
    [100, 'high-end', 24], // needs 200, /24 has 253
    [127, 'enterprise', 23], // needs 254, one more than a /24 has
    [16_382, 'medium', 17], // needs 32_764, /17 has 32_765
    [16_383, 'medium', 16], // needs 32_766
    [40_000, 'enterprise', 16], // needs 80_000: clamped to /16
    [1_000_000, 'low-end', 16], // clamped to /16
  ] as const)('%i containers on %s → /%i', (expected, profile, prefix) => {
    expect(suggestPrefix(expected, profile)).toBe(prefix);
  });

  it('gives small hosts less headroom than big ones for the same count', () => {
    expect(suggestPrefix(60, 'low-end')).toBe(25); // needs 90
    expect(suggestPrefix(60, 'high-end')).toBe(25); // needs 120
    expect(suggestPrefix(70, 'raspberry-pi')).toBe(25); // needs 105
    expect(suggestPrefix(70, 'medium')).toBe(24); // needs 140
  });

  it.each([-1, 2.5, Number.NaN])('rejects %d containers', (count) => {
    expect(() => suggestPrefix(count, 'medium')).toThrow(RangeError);
  });
});

describe('oversized', () => {
  it('leaves a /24 with two members alone on a host expected to run dozens', () => {
    // medium recommends 50: sized for 50 the suggestion is /25 (125 usable); a /24 has 253.
    expect(oversized(24, 2, 'medium')).toBeNull();
    expect(oversized(24, 2, 'high-end')).toBeNull();
    expect(oversized(24, 0, 'raspberry-pi')).toBeNull();
  });

  it('flags a /16 holding three containers and says why', () => {
    const verdict = oversized(16, 3, 'medium');
    expect(verdict?.suggestedPrefix).toBe(25);
    expect(verdict?.reason).toBe(
      'A /16 has 65,533 usable addresses, more than 16× the 125 of a /25, which has room for the 50 containers a medium host is expected to run (it has 3 members now)',
    );
  });

  it('flags exactly when usable size passes 16× what the profile could need', () => {
    // raspberry-pi recommends 15: 15 + 8 spare = 23 → /27 (29 usable, 16× = 464).
    expect(oversized(23, 1, 'raspberry-pi')).toEqual(
      expect.objectContaining({ suggestedPrefix: 27 }),
    );
    expect(oversized(24, 1, 'raspberry-pi')).toBeNull();
  });

  it('sizes by current use when it exceeds the profile', () => {
    expect(oversized(24, 100, 'enterprise')).toBeNull();
    expect(oversized(8, 50_000, 'enterprise')?.reason).toContain('room for its 50000 members');
    expect(oversized(12, 50_000, 'enterprise')).toEqual(
      expect.objectContaining({ suggestedPrefix: 16 }),
    );
    expect(oversized(13, 50_000, 'enterprise')).toBeNull();
  });

  it('leaves small networks alone', () => {
    expect(oversized(28, 0, 'raspberry-pi')).toBeNull();
    expect(oversized(32, 0, 'medium')).toBeNull();
  });

  it('rejects a negative count', () => {
    expect(() => oversized(24, -1, 'medium')).toThrow(RangeError);
  });
});

/** `count` consecutive blocks of `prefix` starting at `start`. */
function blocks(start: string, prefix: number, count: number): string[] {
  const first = ipToInt(start);
  return Array.from(
    { length: count },
    (_, index) => `${intToIp(first + index * cidrSize(prefix))}/${prefix}`,
  );
}

describe('findFreeSubnet', () => {
  it('takes the start of the first pool when nothing is taken', () => {
    expect(findFreeSubnet(24, [])).toBe('172.16.0.0/24');
    expect(findFreeSubnet(16, [])).toBe('172.16.0.0/16');
    expect(findFreeSubnet(12, [])).toBe('172.16.0.0/12');
  });

  it('skips a pool too small for the prefix', () => {
    expect(findFreeSubnet(10, [])).toBe('10.0.0.0/10');
    expect(findFreeSubnet(8, [])).toBe('10.0.0.0/8');
    expect(findFreeSubnet(7, [])).toBeNull();
  });

  it('steps past a taken block to the next aligned one', () => {
    expect(findFreeSubnet(24, ['172.16.0.0/24'])).toBe('172.16.1.0/24');
    expect(findFreeSubnet(24, ['172.16.0.0/29'])).toBe('172.16.1.0/24');
    expect(findFreeSubnet(29, ['172.16.0.0/29', '172.16.0.8/29'])).toBe('172.16.0.16/29');
  });

  it('finds a gap between taken blocks and uses it', () => {
    expect(findFreeSubnet(24, ['172.16.0.0/24', '172.16.2.0/24'])).toBe('172.16.1.0/24');
  });

  it('treats a taken network containing the candidate as covering it', () => {
    expect(findFreeSubnet(24, ['172.16.0.0/16'])).toBe('172.17.0.0/24');
    expect(findFreeSubnet(24, ['172.16.0.0/12'])).toBe('192.168.0.0/24');
  });

  it('avoids a wide network that overlaps the pool from outside it', () => {
    expect(findFreeSubnet(16, ['172.0.0.0/8'])).toBe('192.168.0.0/16');
  });

  it('skips thousands of taken ranges without stepping through them', () => {
    // Docker-style /20s filling 172.16/12, then /24s filling 192.168/16 except the last one.
    const taken = [...blocks('172.16.0.0', 20, 256), ...blocks('192.168.0.0', 24, 255)];
    expect(findFreeSubnet(24, taken)).toBe('192.168.255.0/24');
    expect(findFreeSubnet(29, taken)).toBe('192.168.255.0/29');
    expect(findFreeSubnet(23, taken)).toBe('10.0.0.0/23');
  });

  it('copes with tens of thousands of small ranges in any order', () => {
    const taken = blocks('10.0.0.0', 29, 50_000).reverse();
    const free = findFreeSubnet(29, taken, ['10.0.0.0/8']);
    expect(free).toBe(`${intToIp(ipToInt('10.0.0.0') + 50_000 * 8)}/29`);
  });

  it('jumps across ranges too wide to walk address by address', () => {
    // 10.0.0.0/9, 10.128.0.0/10, ... 10.255.255.254/32: all of 10/8 but its last address.
    const taken = Array.from({ length: 24 }, (_, index) => {
      const prefix = 9 + index;
      return `${intToIp(ipToInt('10.0.0.0') + 2 ** 24 - 2 ** (33 - prefix))}/${prefix}`;
    });
    expect(findFreeSubnet(32, taken, ['10.0.0.0/8'])).toBe('10.255.255.255/32');
    expect(findFreeSubnet(31, taken, ['10.0.0.0/8'])).toBeNull();
  });

  it('returns null when every pool is exhausted', () => {
    const taken = ['172.16.0.0/12', '192.168.0.0/16', '10.0.0.0/8'];
    expect(findFreeSubnet(29, taken)).toBeNull();
    expect(findFreeSubnet(24, blocks('192.168.0.0', 24, 256), ['192.168.0.0/16'])).toBeNull();
  });

  it('uses custom pools in the order given', () => {
    expect(findFreeSubnet(26, [], ['100.64.0.0/24', '10.0.0.0/8'])).toBe('100.64.0.0/26');
    const taken = blocks('100.64.0.0', 26, 4);
    expect(findFreeSubnet(26, taken, ['100.64.0.0/24', '10.0.0.0/8'])).toBe('10.0.0.0/26');
  });

  it('skips IPv6 subnets and widens taken blocks that have host bits set', () => {
    expect(findFreeSubnet(24, ['fd00:1::/64', '172.16.0.9/24'])).toBe('172.16.1.0/24');
  });

  it('accepts /31 and /32 requests', () => {
    expect(findFreeSubnet(32, ['172.16.0.0/31'])).toBe('172.16.0.2/32');
    expect(findFreeSubnet(31, ['172.16.0.0/32'])).toBe('172.16.0.2/31');
  });

  it('rejects a /0 request, bad prefixes and malformed input', () => {
    expect(() => findFreeSubnet(0, [])).toThrow('a /0 subnet would cover every IPv4 address');
    expect(() => findFreeSubnet(33, [])).toThrow(RangeError);
    expect(() => findFreeSubnet(24, ['not-a-subnet'])).toThrow('is not a CIDR block');
    expect(() => findFreeSubnet(24, [], ['10.0.0.1/8'])).toThrow('host bits set');
  });
});

describe('nextFreeIp', () => {
  it('skips the network address and the gateway', () => {
    expect(nextFreeIp('172.18.0.0/16', '172.18.0.1', [], [])).toBe('172.18.0.2');
  });

  it('assumes the engine default gateway (first host) when none is given', () => {
    expect(nextFreeIp('172.18.0.0/16', null, [], [])).toBe('172.18.0.2');
  });

  it('frees the first host address when the gateway sits elsewhere', () => {
    expect(nextFreeIp('10.1.0.0/24', '10.1.0.254', [], [])).toBe('10.1.0.1');
  });

  it('skips used and reserved addresses, filling holes first', () => {
    const used = ['10.1.0.2', '10.1.0.3', '10.1.0.5'];
    expect(nextFreeIp('10.1.0.0/24', '10.1.0.1', used, [])).toBe('10.1.0.4');
    expect(nextFreeIp('10.1.0.0/24', '10.1.0.1', used, ['10.1.0.4'])).toBe('10.1.0.6');
  });

  it('ignores addresses outside the block and IPv6 ones', () => {
    expect(nextFreeIp('10.1.0.0/24', null, ['10.2.0.2', 'fd00::2'], ['10.1.1.2'])).toBe('10.1.0.2');
  });

  it('never hands out the broadcast address', () => {
    expect(nextFreeIp('10.1.0.0/30', null, [], [])).toBe('10.1.0.2');
    expect(nextFreeIp('10.1.0.0/30', null, ['10.1.0.2'], [])).toBeNull();
    // .2 to .254: every host address after the gateway.
    const almostFull = blocks('10.1.0.2', 32, 253).map((cidr) => cidr.replace('/32', ''));
    expect(nextFreeIp('10.1.0.0/24', null, almostFull, [])).toBeNull();
    expect(nextFreeIp('10.1.0.0/24', null, almostFull.slice(1), [])).toBe('10.1.0.2');
  });

  it('treats /31 and /32 as having no network or broadcast address', () => {
    expect(nextFreeIp('10.1.0.4/31', null, [], [])).toBe('10.1.0.4');
    expect(nextFreeIp('10.1.0.4/31', '10.1.0.4', [], [])).toBe('10.1.0.5');
    expect(nextFreeIp('10.1.0.4/32', null, [], [])).toBe('10.1.0.4');
    expect(nextFreeIp('10.1.0.4/32', null, [], ['10.1.0.4'])).toBeNull();
  });

  it('rejects malformed input with a clear message', () => {
    expect(() => nextFreeIp('10.1.0.1/24', null, [], [])).toThrow('host bits set');
    expect(() => nextFreeIp('10.1.0.0/24', 'gw', [], [])).toThrow('"gw" is not an IPv4 address');
    expect(() => nextFreeIp('10.1.0.0/24', null, [''], [])).toThrow('is not an IPv4 address');
  });
});

describe('usableAddressesLeft', () => {
  it('counts what is left after system, used and reserved addresses', () => {
    expect(usableAddressesLeft('10.1.0.0/24', null, [])).toBe(253);
    expect(usableAddressesLeft('10.1.0.0/24', '10.1.0.1', ['10.1.0.2', '10.1.0.3'])).toBe(251);
  });

  it('does not count duplicates, system addresses or strangers twice', () => {
    const taken = ['10.1.0.2', '10.1.0.2', '10.1.0.1', '10.1.0.255', '10.9.0.2', 'fd00::1'];
    expect(usableAddressesLeft('10.1.0.0/24', null, taken)).toBe(252);
  });

  it('counts an explicit gateway on a /31 against it', () => {
    expect(usableAddressesLeft('10.1.0.4/31', null, [])).toBe(2);
    expect(usableAddressesLeft('10.1.0.4/31', '10.1.0.5', [])).toBe(1);
  });
});
