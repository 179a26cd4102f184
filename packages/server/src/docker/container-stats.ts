import type { ContainerStats } from '@berth/contract';

/** The engine's stats document (API 1.41), the fields the figures come from. */
export interface RawStats {
  read: string;
  pids_stats?: { current?: number };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
  blkio_stats?: { io_service_bytes_recursive?: { op: string; value: number }[] | null };
  cpu_stats: {
    cpu_usage: { total_usage: number; percpu_usage?: number[] | null };
    system_cpu_usage?: number;
    online_cpus?: number;
  };
  precpu_stats: { cpu_usage: { total_usage: number }; system_cpu_usage?: number };
  memory_stats: { usage?: number; limit?: number; stats?: Record<string, number> };
}

/**
 * The figures `docker stats` shows. Memory is usage minus inactive page cache
 * (`total_inactive_file` on cgroup v1, `inactive_file` on v2). CPU is the container's share
 * of the host's CPU time since the previous sample, times the CPUs online.
 */
export function computeStats(raw: RawStats): ContainerStats {
  const cpuDelta = raw.cpu_stats.cpu_usage.total_usage - raw.precpu_stats.cpu_usage.total_usage;
  const systemDelta =
    (raw.cpu_stats.system_cpu_usage ?? 0) - (raw.precpu_stats.system_cpu_usage ?? 0);
  const onlineCpus = raw.cpu_stats.online_cpus || raw.cpu_stats.cpu_usage.percpu_usage?.length || 1;
  const cpuPercent =
    cpuDelta > 0 && systemDelta > 0 ? (cpuDelta / systemDelta) * onlineCpus * 100 : 0;

  const mem = raw.memory_stats;
  const s = mem.stats ?? {};
  const rawUsage = mem.usage ?? 0;
  // As the docker CLI does: subtract the inactive page cache only when it is below the usage.
  const inactive = s.total_inactive_file ?? s.inactive_file;
  const usage = inactive !== undefined && inactive < rawUsage ? rawUsage - inactive : rawUsage;
  const limit = mem.limit ?? 0;

  let rxBytes = 0;
  let txBytes = 0;
  for (const net of Object.values(raw.networks ?? {})) {
    rxBytes += net.rx_bytes;
    txBytes += net.tx_bytes;
  }
  let readBytes = 0;
  let writeBytes = 0;
  for (const entry of raw.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = entry.op.toLowerCase();
    if (op === 'read') readBytes += entry.value;
    else if (op === 'write') writeBytes += entry.value;
  }
  return {
    read: raw.read,
    cpuPercent: Math.round(cpuPercent * 100) / 100,
    onlineCpus,
    memory: {
      usage,
      limit,
      percent: limit > 0 ? Math.round((usage / limit) * 1_000_000) / 10_000 : 0,
    },
    network: { rxBytes, txBytes },
    blockIo: { readBytes, writeBytes },
    pids: raw.pids_stats?.current ?? 0,
  };
}
