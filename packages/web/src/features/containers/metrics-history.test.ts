import type { MetricsPoint } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { historySeries, withLiveTail } from './metrics-history.js';
import type { StatsSeries } from './stats-series.js';

const point = (at: string, over: Partial<MetricsPoint> = {}): MetricsPoint => ({
  at,
  cpuPercent: 10,
  cpuPercentMax: 12,
  memory: 1024,
  memoryMax: 2048,
  memoryLimit: 4096,
  networkRxRate: 100,
  networkTxRate: 0,
  blockReadRate: 0,
  blockWriteRate: 0,
  pids: 3,
  ...over,
});

describe("a container's metrics history on its charts", () => {
  it('takes the points as answered, with a gap where the sampler recorded nothing', () => {
    const s = historySeries({
      step: 15,
      points: [
        point('2026-12-02T12:00:00Z'),
        point('2026-12-02T12:00:15Z', { networkRxRate: 300 }),
        point('2026-12-02T12:10:00Z', { memoryLimit: 8192 }),
      ],
    });
    expect(s.rx).toEqual([100, 300, null, 100]);
    expect(s.memoryLimit).toBe(8192);
    expect(s.times[1]).toBe(Date.parse('2026-12-02T12:00:15Z') / 1000);
  });

  it('appends the live tail at the history step, every series alike', () => {
    const history = historySeries({
      step: 15,
      points: [point('2026-12-02T12:00:00Z'), point('2026-12-02T12:00:15Z')],
    });
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
