import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMeminfo, readLocalMemory } from '../host-memory.js';

const MIB = 1024 * 1024;

describe('host memory from /proc/meminfo', () => {
  it('counts page cache as available, not used', () => {
    const memory = parseMeminfo(
      [
        'MemTotal:        8192000 kB',
        'MemFree:          512000 kB',
        'MemAvailable:    6144000 kB',
        'Buffers:          256000 kB',
        'Cached:          5120000 kB',
        'SwapCached:            0 kB',
        'Active(file):    2000000 kB',
        'Shmem:             64000 kB',
        'SReclaimable:     300000 kB',
      ].join('\n'),
    );
    expect(memory).toEqual({
      totalBytes: 8192000 * 1024,
      availableBytes: 6144000 * 1024,
      usedBytes: (8192000 - 6144000) * 1024,
      cacheBytes: (5120000 + 256000) * 1024,
    });
  });

  it('estimates available on kernels without MemAvailable, the way free did', () => {
    const memory = parseMeminfo(
      [
        'MemTotal: 1000 kB',
        'MemFree: 100 kB',
        'Buffers: 50 kB',
        'Cached: 400 kB',
        'SReclaimable: 30 kB',
        'Shmem: 80 kB',
      ].join('\n'),
    );
    expect(memory?.availableBytes).toBe((100 + 50 + 400 + 30 - 80) * 1024);
    expect(memory?.usedBytes).toBe((1000 - 500) * 1024);
  });

  it('gives nothing for text that is not meminfo', () => {
    expect(parseMeminfo('')).toBeNull();
    expect(parseMeminfo('hello: world')).toBeNull();
  });

  it("reads this machine's figures, which agree with the kernel's own", async () => {
    const memory = await readLocalMemory();
    expect(memory).not.toBeNull();
    const kernelTotal = /MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
    expect(memory?.totalBytes).toBe(Number(kernelTotal) * 1024);
    expect(memory?.usedBytes).toBeGreaterThan(0);
    expect((memory?.availableBytes ?? 0) + (memory?.usedBytes ?? 0)).toBe(memory?.totalBytes);
    expect(memory?.totalBytes).toBeGreaterThan(64 * MIB);
    expect(await readLocalMemory('/nonexistent/meminfo')).toBeNull();
  });
});
