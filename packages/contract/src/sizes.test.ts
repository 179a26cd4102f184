import { describe, expect, it } from 'vitest';
import { describeSize, formatSize, overHostMessage, parseSize } from './sizes.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

describe('sizes as docker run --memory reads them (go-units RAMInBytes)', () => {
  it.each([
    ['512m', 512 * MiB],
    ['1g', GiB],
    ['1G', GiB],
    ['1GB', GiB],
    ['64MiB', 64 * MiB],
    ['64mib', 64 * MiB],
    ['1.5G', 1.5 * GiB],
    ['1.5 g', 1.5 * GiB],
    ['32k', 32 * KiB],
    ['2t', 2 * 1024 * GiB],
    ['1p', 1024 ** 5],
    ['67108864', 67108864],
    ['100b', 100],
    ['100B', 100],
    ['0.5k', 512],
    ['1.0001k', 1024],
    ['.5m', 0.5 * MiB],
    [' 64m ', 64 * MiB],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each(['lots', '', 'm', '1x', '1mm', '1ib', '1kbb', '-1m', '1 2m', '1e3', '1bi', '1..5m'])(
    '%j is not a size',
    (text) => {
      expect(parseSize(text)).toBeNull();
    },
  );

  it('writes a byte count in the largest unit it is an exact multiple of', () => {
    expect(formatSize(64 * MiB)).toBe('64m');
    expect(formatSize(GiB)).toBe('1g');
    expect(formatSize(1.5 * GiB)).toBe('1536m');
    expect(formatSize(1536)).toBe('1536');
    expect(formatSize(3 * KiB)).toBe('3k');
    expect(formatSize(1000)).toBe('1000');
    expect(formatSize(2 * 1024 * GiB)).toBe('2t');
  });

  it('round-trips what it writes', () => {
    for (const bytes of [1, 1000, 4096, 6 * MiB, 7 * GiB + MiB, 1024 ** 5]) {
      expect(parseSize(formatSize(bytes))).toBe(bytes);
    }
  });

  it("names the host's total in words for messages", () => {
    expect(describeSize(8 * GiB)).toBe('8 GiB');
    expect(describeSize(7.6 * GiB)).toBe('7.6 GiB');
    expect(describeSize(900)).toBe('900 B');
    expect(overHostMessage(16 * GiB)).toBe('more than this host has (16 GiB of memory)');
  });
});
