import type { MetricsPoint } from '@berth/contract';
import type { QueriedPoint, StoredPoint } from './metrics-repository.js';

export const STACK_PREFIX = 'stack:';
/** The stored subject of a stack's totals (container IDs are hex: no name can collide). */
export const stackSubject = (project: string): string => `${STACK_PREFIX}${project}`;

/** A point as the routes and the events stream answer it: figures rounded for reading. */
export function toPoint(p: QueriedPoint): MetricsPoint {
  const round = (n: number, places = 2): number => Math.round(n * 10 ** places) / 10 ** places;
  return {
    at: new Date(p.bucket * 1000).toISOString(),
    cpuPercent: round(p.cpu),
    cpuPercentMax: round(p.cpuMax),
    memory: Math.round(p.mem),
    memoryMax: Math.round(p.memMax),
    memoryLimit: Math.round(p.memLimit),
    networkRxRate: round(p.rx),
    networkTxRate: round(p.tx),
    blockReadRate: round(p.rd),
    blockWriteRate: round(p.wr),
    pids: Math.round(p.pids),
  };
}

/** One round's stored point as a point of its own (a single sample: its own maxima). */
export function roundPoint(atSeconds: number, p: StoredPoint): MetricsPoint {
  return toPoint({ bucket: atSeconds, ...p, cpuMax: p.cpu, memMax: p.mem });
}
