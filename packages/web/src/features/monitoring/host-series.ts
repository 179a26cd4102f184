import { ratesOf } from '../../components/charts/series.js';

/** A host's totals at one time, as the host metrics history answers them (counters as totals). */
export interface HostHistorySample {
  at: string;
  cpuPercent: number | null;
  memoryUsed: number | null;
  memoryTotal: number | null;
  containersRunning: number | null;
  networkRx: number | null;
  networkTx: number | null;
  blockRead: number | null;
  blockWrite: number | null;
}

export interface HostSeries {
  times: number[];
  cpu: (number | null)[];
  memory: (number | null)[];
  memoryTotal: number | null;
  running: (number | null)[];
  rx: (number | null)[];
  tx: (number | null)[];
  read: (number | null)[];
  write: (number | null)[];
}

/** A host's history as the charts take it: counters as rates, the latest memory total. */
export function hostSeries(samples: readonly HostHistorySample[]): HostSeries {
  const times = samples.map((s) => Date.parse(s.at) / 1000);
  const rate = (pick: (s: HostHistorySample) => number | null): (number | null)[] =>
    ratesOf(times, samples.map(pick));
  const totals = samples.map((s) => s.memoryTotal).filter((v): v is number => v !== null);
  return {
    times,
    cpu: samples.map((s) => s.cpuPercent),
    memory: samples.map((s) => s.memoryUsed),
    memoryTotal: totals[totals.length - 1] ?? null,
    running: samples.map((s) => s.containersRunning),
    rx: rate((s) => s.networkRx),
    tx: rate((s) => s.networkTx),
    read: rate((s) => s.blockRead),
    write: rate((s) => s.blockWrite),
  };
}
