import { describe, expect, it } from 'vitest';
import { historySeries, withLiveTail, type HistorySample } from './metrics-history.js';
import type { StatsSeries } from './stats-series.js';

const sample = (at: string, rx: number, extra: Partial<HistorySample> = {}): HistorySample => ({
  at,
  cpuPercent: 10,
  memoryWorkingSet: 1024,
  memoryLimit: 4096,
  networkRx: rx,
  networkTx: 0,
  blockRead: 0,
  blockWrite: 0,
  pids: 3,
  ...extra,
});

describe("a container's metrics history on its charts", () => {
  it('reads counters as rates and keeps the latest memory limit', () => {
    const s = historySeries([
      sample('2026-12-02T12:00:00Z', 0),
      sample('2026-12-02T12:00:15Z', 1500),
      sample('2026-12-02T12:00:30Z', 3000, { memoryLimit: null }),
    ]);
    expect(s.rx).toEqual([null, 100, 100]);
    expect(s.memoryLimit).toBe(4096);
    expect(s.times[1]).toBe(Date.parse('2026-12-02T12:00:15Z') / 1000);
  });

  it('appends the live tail at the history step, every series alike', () => {
    const history = historySeries([
      sample('2026-12-02T12:00:00Z', 0),
      sample('2026-12-02T12:00:15Z', 150),
    ]);
    const t = Date.parse('2026-12-02T12:00:30Z') / 1000;
    const live: StatsSeries = {
      times: [t + 1, t + 2],
      cpu: [50, 70],
      memory: [2048, 2048],
      memoryLimit: 8192,
      rx: [10, 30],
      tx: [0, 0],
      read: [0, 0],
      write: [0, 0],
      pids: [4, 4],
    };
    const merged = withLiveTail(history, live, 15, 0);
    expect(merged.times).toHaveLength(3);
    expect(merged.cpu.at(-1)).toBe(60);
    expect(merged.rx.at(-1)).toBe(20);
    expect(merged.memoryLimit).toBe(8192);
  });
});
