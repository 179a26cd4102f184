import type { HardwareProfileName } from '@berth/contract';
import { PROFILE_LIMITS } from '../hosts/hardware-profile.js';

/** An IPv4 block: its network address as an unsigned 32-bit integer, and its prefix length. */
export interface Cidr {
  network: number;
  prefix: number;
}

/** Docker's own default address pools, in the order its IPAM hands them out. */
export const DEFAULT_POOLS = ['172.16.0.0/12', '192.168.0.0/16', '10.0.0.0/8'];

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const PREFIX_TEXT = /^(0|[1-9]\d?)$/;

function tryParseIp(text: string): number | null {
  const match = DOTTED_QUAD.exec(text);
  if (!match) return null;
  let value = 0;
  for (const part of match.slice(1)) {
    // Leading zeros are refused: inet_aton reads 010 as octal 8, most other parsers as 10.
    if (part.length > 1 && part.startsWith('0')) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

/** True for a dotted-quad IPv4 address such as 192.168.1.10. */
export function isIpv4(text: string): boolean {
  return tryParseIp(text) !== null;
}

/**
 * Engine data mixes IPv6 subnets and addresses in with IPv4 ones; they can never collide with
 * IPv4 space, so callers skip them instead of treating them as malformed.
 */
export function isIpv6Notation(text: string): boolean {
  return text.includes(':');
}

export function ipToInt(text: string): number {
  const value = tryParseIp(text);
  if (value === null) {
    throw new Error(
      `"${text}" is not an IPv4 address (expected four numbers 0-255, like 10.0.0.1)`,
    );
  }
  return value;
}

export function intToIp(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${value} is not an IPv4 address: expected a whole number 0-4294967295`);
  }
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function assertPrefix(prefix: number): void {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) {
    throw new RangeError(`prefix length must be a whole number from 0 to 32, got ${prefix}`);
  }
}

function assertCount(count: number, name: string): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`${name} must be a whole number of 0 or more, got ${count}`);
  }
}

function maskOf(prefix: number): number {
  // JavaScript shifts count modulo 32, so a /0 mask cannot come from the shift.
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function networkOf(address: number, prefix: number): number {
  return (address & maskOf(prefix)) >>> 0;
}

function lastAddress(block: Cidr): number {
  return block.network + cidrSize(block.prefix) - 1;
}

function parseBlock(text: string): { address: number; prefix: number } {
  const slash = text.indexOf('/');
  if (slash === -1) {
    throw new Error(`"${text}" is not a CIDR block (expected address/prefix, like 10.0.0.0/24)`);
  }
  const address = tryParseIp(text.slice(0, slash));
  if (address === null) {
    throw new Error(
      `"${text}" is not a CIDR block: "${text.slice(0, slash)}" is not an IPv4 address`,
    );
  }
  const prefixText = text.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!PREFIX_TEXT.test(prefixText) || prefix > 32) {
    throw new Error(`"${text}" is not a CIDR block: the prefix length must be 0 to 32`);
  }
  return { address, prefix };
}

/**
 * Parses a.b.c.d/n strictly. An address with host bits set is refused rather than masked:
 * 10.0.0.1/24 usually means the user typed a host address where a network was wanted.
 */
export function parseCidr(text: string): Cidr {
  const { address, prefix } = parseBlock(text);
  const network = networkOf(address, prefix);
  if (network !== address) {
    throw new Error(`${text} has host bits set: did you mean ${intToIp(network)}/${prefix}?`);
  }
  return { network, prefix };
}

export function formatCidr(cidr: Cidr): string {
  assertPrefix(cidr.prefix);
  const text = `${intToIp(cidr.network)}/${cidr.prefix}`;
  if (networkOf(cidr.network, cidr.prefix) !== cidr.network) {
    throw new Error(`${text} has host bits set`);
  }
  return text;
}

export function cidrContains(cidr: string, ip: string): boolean {
  const block = parseCidr(cidr);
  return networkOf(ipToInt(ip), block.prefix) === block.network;
}

/** Aligned blocks either nest or are disjoint, so comparing under the wider mask suffices. */
export function cidrsOverlap(a: string, b: string): boolean {
  const first = parseCidr(a);
  const second = parseCidr(b);
  const prefix = Math.min(first.prefix, second.prefix);
  return networkOf(first.network, prefix) === networkOf(second.network, prefix);
}

/** Number of addresses in a block of this prefix length (a /0 holds 2^32). */
export function cidrSize(prefix: number): number {
  assertPrefix(prefix);
  return 2 ** (32 - prefix);
}

/**
 * Addresses containers can take. Up to /30 the network, broadcast and gateway addresses are
 * spoken for; a /31 (RFC 3021 point-to-point) and a /32 have no network or broadcast address,
 * so every address counts.
 */
export function usableHosts(prefix: number): number {
  const size = cidrSize(prefix);
  return prefix <= 30 ? size - 3 : size;
}

/**
 * Addresses in the block that nobody may take: network, broadcast and gateway. With no
 * gateway given (or one outside this block, as on a multi-subnet network), Docker's IPAM
 * reserves the first host address anyway, so that one is assumed.
 */
function systemAddresses(block: Cidr, gateway: string | null): number[] {
  const last = lastAddress(block);
  const explicit = gateway === null || isIpv6Notation(gateway) ? null : ipToInt(gateway);
  const inside = explicit !== null && explicit >= block.network && explicit <= last;
  if (block.prefix >= 31) return inside ? [explicit] : [];
  return [block.network, last, inside ? explicit : block.network + 1];
}

/** IPv4 addresses from `addresses` that fall inside the block; IPv6 ones are skipped. */
function addressesIn(block: Cidr, addresses: string[]): number[] {
  const last = lastAddress(block);
  return addresses
    .filter((text) => !isIpv6Notation(text))
    .map(ipToInt)
    .filter((value) => value >= block.network && value <= last);
}

/** Lowest address of the block nobody holds: not system, used (by containers) or reserved. */
export function nextFreeIp(
  cidr: string,
  gateway: string | null,
  used: string[],
  reserved: string[],
): string | null {
  const block = parseCidr(cidr);
  const taken = new Set([
    ...systemAddresses(block, gateway),
    ...addressesIn(block, used),
    ...addressesIn(block, reserved),
  ]);
  // Every step past a taken address consumes a set entry, so this ends within taken.size + 1.
  const last = lastAddress(block);
  for (let candidate = block.network; candidate <= last; candidate++) {
    if (!taken.has(candidate)) return intToIp(candidate);
  }
  return null;
}

/** Addresses still free in the block once system, used and reserved addresses are counted. */
export function usableAddressesLeft(cidr: string, gateway: string | null, taken: string[]): number {
  const block = parseCidr(cidr);
  const held = new Set([...systemAddresses(block, gateway), ...addressesIn(block, taken)]);
  return cidrSize(block.prefix) - held.size;
}

/** Spare room on top of the expected count, as a fraction of it. */
const HEADROOM: Record<HardwareProfileName, number> = {
  // Small hosts hit their container limit long before a half-again network fills up.
  'raspberry-pi': 0.5,
  'low-end': 0.5,
  medium: 1,
  'high-end': 1,
  enterprise: 1,
};
const MIN_SPARE = 4;
/** Docker's own default network size; wider bridges only grow the broadcast domain. */
const WIDEST_SUGGESTION = 16;
/** The narrowest block that still leaves containers room after network, broadcast, gateway. */
const NARROWEST_SUGGESTION = 29;

/**
 * The rule: needed = expected + max(4, ceil(expected × headroom)), headroom 50% on
 * raspberry-pi and low-end hosts and 100% elsewhere; the answer is the narrowest prefix whose
 * usableHosts() covers `needed`, clamped to /16 at the widest and /29 at the narrowest.
 */
export function suggestPrefix(expectedContainers: number, profile: HardwareProfileName): number {
  assertCount(expectedContainers, 'expectedContainers');
  const spare = Math.max(MIN_SPARE, Math.ceil(expectedContainers * HEADROOM[profile]));
  const needed = expectedContainers + spare;
  for (let prefix = NARROWEST_SUGGESTION; prefix > WIDEST_SUGGESTION; prefix--) {
    if (usableHosts(prefix) >= needed) return prefix;
  }
  return WIDEST_SUGGESTION;
}

const OVERSIZE_FACTOR = 16;

export interface OversizeVerdict {
  suggestedPrefix: number;
  reason: string;
}

/**
 * Flags a network whose usable size exceeds 16× that of the one it could need. What it could
 * need is sized for the larger of its current use and the container count the host's hardware
 * profile recommends: a network is made for the containers to come, so a /24 holding two on a
 * host meant to run fifty is right-sized, while a /16 holding three is not.
 */
export function oversized(
  prefix: number,
  used: number,
  profile: HardwareProfileName,
): OversizeVerdict | null {
  assertCount(used, 'used');
  const expected = Math.max(used, PROFILE_LIMITS[profile].recommended);
  const suggestedPrefix = suggestPrefix(expected, profile);
  const size = usableHosts(prefix);
  const needed = usableHosts(suggestedPrefix);
  if (size <= OVERSIZE_FACTOR * needed) return null;
  const basis =
    expected === used
      ? `its ${used} members`
      : `the ${expected} containers a ${profile} host is expected to run (it has ${used} members now)`;
  return {
    suggestedPrefix,
    reason: `A /${prefix} has ${size.toLocaleString('en')} usable addresses, more than ${OVERSIZE_FACTOR}× the ${needed} of a /${suggestedPrefix}, which has room for ${basis}`,
  };
}

interface Range {
  start: number;
  end: number;
}

/** Sorted, non-overlapping ranges, so a scan can move through them in one direction. */
function mergeRanges(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: Range[] = [];
  for (const range of sorted) {
    const previous = merged.at(-1);
    if (previous && range.start <= previous.end + 1) {
      previous.end = Math.max(previous.end, range.end);
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

/** Index of the first range ending at or after `address`. */
function firstRangeReaching(ranges: Range[], address: number): number {
  let low = 0;
  let high = ranges.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const range = ranges[middle];
    if (range !== undefined && range.end < address) low = middle + 1;
    else high = middle;
  }
  return low;
}

function firstGap(pool: Cidr, size: number, busy: Range[]): number | null {
  const poolEnd = lastAddress(pool);
  let candidate = pool.network;
  let index = firstRangeReaching(busy, candidate);
  while (candidate + size - 1 <= poolEnd) {
    let next = busy[index];
    while (next !== undefined && next.end < candidate) {
      index++;
      next = busy[index];
    }
    if (next === undefined || next.start > candidate + size - 1) return candidate;
    // Jump to the first aligned block past the obstacle instead of stepping block by block.
    candidate = Math.ceil((next.end + 1) / size) * size;
  }
  return null;
}

/**
 * The first aligned block of `prefix` inside the pools (tried in order) that overlaps none of
 * `taken`. IPv6 entries in `taken` are skipped; taken blocks with host bits set are widened to
 * their network, since the engine already holds them and planning around them is all we can do.
 * Runs in O(n log n) over taken ranges however large the pools are.
 */
export function findFreeSubnet(
  prefix: number,
  taken: string[],
  pools: string[] = DEFAULT_POOLS,
): string | null {
  assertPrefix(prefix);
  if (prefix === 0) throw new RangeError('a /0 subnet would cover every IPv4 address');
  const size = cidrSize(prefix);
  const busy = mergeRanges(
    taken
      .filter((text) => !isIpv6Notation(text))
      .map((text) => {
        const block = parseBlock(text);
        const network = networkOf(block.address, block.prefix);
        return { start: network, end: network + cidrSize(block.prefix) - 1 };
      }),
  );
  for (const pool of pools.map(parseCidr)) {
    if (prefix < pool.prefix) continue;
    const network = firstGap(pool, size, busy);
    if (network !== null) return formatCidr({ network, prefix });
  }
  return null;
}
