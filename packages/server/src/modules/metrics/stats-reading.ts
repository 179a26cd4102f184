import type { ContainerSample } from '@berth/contract';
import { computeStats, type RawStats } from '../../docker/container-stats.js';
import type { EngineContainer } from '../../docker/container-summary.js';
import type { StoredPoint } from './metrics-repository.js';

/** One container's reading: what listeners get, and what is stored (rates per second). */
export interface Reading {
  sample: ContainerSample;
  point: Omit<StoredPoint, 'subject'>;
  /** The engine's own read time, nanoseconds of CPU usage: the next reading's baseline. */
  readAtMs: number;
  cpuNanos: number;
}

/** Per second between two readings of a counter; a counter that went back (a restart) is 0. */
export function ratePerSecond(now: number, before: number | undefined, seconds: number): number {
  if (before === undefined || seconds <= 0 || now < before) return 0;
  return (now - before) / seconds;
}

/**
 * A stats document made into a sample. CPU is the container's CPU time since `previous` over
 * the wall time between the two readings (share of one CPU, as `docker stats` shows it); the
 * first reading of a container, without a previous one, is a two-sample document whose CPU
 * figure the engine measured over its own second.
 */
export function readSample(
  hostId: string,
  container: EngineContainer,
  raw: RawStats,
  previous: Reading | undefined,
): Reading {
  const figures = computeStats(raw);
  const readAtMs = Date.parse(raw.read);
  const cpuNanos = raw.cpu_stats.cpu_usage.total_usage;
  const seconds = previous ? (readAtMs - previous.readAtMs) / 1000 : 0;
  const cpuPercent = !previous
    ? figures.cpuPercent
    : seconds > 0 && cpuNanos >= previous.cpuNanos
      ? Math.round(((cpuNanos - previous.cpuNanos) / (seconds * 1e9)) * 10_000) / 100
      : 0;
  const sample: ContainerSample = {
    hostId,
    containerId: container.id,
    name: container.name,
    image: container.image,
    composeProject: container.composeProject,
    composeService: container.composeService,
    at: Number.isFinite(readAtMs) ? new Date(readAtMs).toISOString() : new Date().toISOString(),
    cpuPercent,
    cpuSecondsTotal: cpuNanos / 1e9,
    memoryWorkingSet: figures.memory.usage,
    memoryLimit: figures.memory.limit,
    networkRx: figures.network.rxBytes,
    networkTx: figures.network.txBytes,
    blockRead: figures.blockIo.readBytes,
    blockWrite: figures.blockIo.writeBytes,
    pids: figures.pids,
  };
  const before = previous?.sample;
  return {
    sample,
    readAtMs,
    cpuNanos,
    point: {
      cpu: cpuPercent,
      mem: sample.memoryWorkingSet,
      memLimit: sample.memoryLimit,
      rx: ratePerSecond(sample.networkRx, before?.networkRx, seconds),
      tx: ratePerSecond(sample.networkTx, before?.networkTx, seconds),
      rd: ratePerSecond(sample.blockRead, before?.blockRead, seconds),
      wr: ratePerSecond(sample.blockWrite, before?.blockWrite, seconds),
      pids: sample.pids,
    },
  };
}
