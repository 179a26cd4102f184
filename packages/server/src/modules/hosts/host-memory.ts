import type { HostMemory } from '@berth/contract';
import { readFile } from 'node:fs/promises';

const KIB = 1024;

/**
 * Memory figures from /proc/meminfo. Available is the kernel's MemAvailable, which counts
 * reclaimable page cache as available (the figure `free` shows); kernels older than 3.14 lack
 * it, so it is estimated the way `free` did then: free + buffers + cache + reclaimable slab −
 * shared memory. Page cache is never "used": a busy file server would otherwise look full.
 */
export function parseMeminfo(text: string): HostMemory | null {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?$/.exec(line.trim());
    if (match?.[1] && match[2]) fields.set(match[1], Number(match[2]) * KIB);
  }
  const total = fields.get('MemTotal');
  if (!total) return null;
  const cache = (fields.get('Cached') ?? 0) + (fields.get('Buffers') ?? 0);
  const available =
    fields.get('MemAvailable') ??
    (fields.get('MemFree') ?? 0) +
      cache +
      (fields.get('SReclaimable') ?? 0) -
      (fields.get('Shmem') ?? 0);
  const availableBytes = Math.max(0, Math.min(total, available));
  return {
    totalBytes: total,
    availableBytes,
    usedBytes: total - availableBytes,
    cacheBytes: cache,
  };
}

/** This machine's memory, for engines that run on it; null where /proc is not there. */
export async function readLocalMemory(path = '/proc/meminfo'): Promise<HostMemory | null> {
  const text = await readFile(path, 'utf8').catch(() => null);
  return text === null ? null : parseMeminfo(text);
}
