import { describe, expect, it } from 'vitest';
import { rangeQuery, stepFor } from './ranges.js';
import { isolatedIndices, lastKnown, mergeLive, ratesOf, withGaps, type Series } from './series.js';
import { formatUnit, tickSteps } from './units.js';

describe('chart units', () => {
  it('formats each unit as the axis and the legend show it', () => {
    expect(formatUnit('percent', 12.345)).toBe('12.3 %');
    expect(formatUnit('percent', 0.456)).toBe('0.46 %');
    expect(formatUnit('bytes', 512 * 1024)).toBe('512 KiB');
    expect(formatUnit('bytes', 1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatUnit('bytesPerSecond', 2048)).toBe('2.0 KiB/s');
    expect(formatUnit('count', 7.4)).toBe('7');
    expect(formatUnit('count', 12_345)).toBe('12.3 k');
  });

  it('shows a gap as a dash, not as zero', () => {
    expect(formatUnit('bytes', null)).toBe('—');
    expect(formatUnit('percent', undefined)).toBe('—');
    expect(formatUnit('count', Number.NaN)).toBe('—');
  });

  it('ticks bytes in powers of two and counts in whole numbers', () => {
    expect(tickSteps('bytes')).toContain(1024 * 1024);
    expect(tickSteps('count')?.every(Number.isInteger)).toBe(true);
    expect(tickSteps('percent')).toBeUndefined();
  });
});

describe('chart ranges', () => {
  it('steps each range to a few hundred points, never finer than the sampler', () => {
    expect(stepFor(3_600)).toBe(15);
    expect(stepFor(86_400)).toBe(120);
    expect(stepFor(7 * 86_400)).toBe(900);
    expect(stepFor(30 * 86_400)).toBe(3_600);
    expect(stepFor(60)).toBe(15);
  });

  it('asks the same question for the whole of a step, ending on a step boundary', () => {
    const now = Date.parse('2026-12-02T12:00:07Z');
    const q = rangeQuery(3_600, now);
    expect(q).toEqual({
      from: '2026-12-02T11:00:15.000Z',
      to: '2026-12-02T12:00:15.000Z',
      step: 15,
    });
    expect(rangeQuery(3_600, now + 5_000)).toEqual(q);
  });
});

const series = (times: number[], ...columns: (number | null)[][]): Series => ({ times, columns });

describe('chart series', () => {
  it('turns counter totals into rates, with a gap where a counter went back', () => {
    expect(ratesOf([0, 10, 20, 30], [0, 100, 50, 150])).toEqual([null, 10, null, 10]);
    expect(ratesOf([0, 10, 10], [0, 100, 200])).toEqual([null, 10, null]);
    expect(ratesOf([0, 10, 20], [0, null, 200])).toEqual([null, null, null]);
  });

  it('breaks the line where points lie too far apart', () => {
    const gapped = withGaps(series([0, 15, 30, 300, 315], [1, 2, 3, 4, 5]), 40);
    expect(gapped.times).toEqual([0, 15, 30, 165, 300, 315]);
    expect(gapped.columns[0]).toEqual([1, 2, 3, null, 4, 5]);
  });

  it('appends live readings after the history, averaged into its step', () => {
    const history = series([0, 60, 120], [1, 2, 3], [10, 20, 30]);
    // Readings a few seconds apart: the one inside the last history bucket is already counted.
    const live = series([125, 170, 185, 200, 250], [9, 4, 6, 8, 10], [null, 40, 60, 80, 100]);
    const merged = mergeLive(history, live, 60, 0);
    expect(merged.times).toEqual([0, 60, 120, 180, 240]);
    expect(merged.columns[0]).toEqual([1, 2, 3, 7, 10]);
    expect(merged.columns[1]).toEqual([10, 20, 30, 70, 100]);
  });

  it('keeps live readings one by one at a step of a second, and drops what left the window', () => {
    const live = series([100.2, 101.2, 102.3, 103.1], [1, 2, 3, 4]);
    const merged = mergeLive(series([], []), live, 1, 101);
    expect(merged.times).toEqual([101.2, 102.3, 103.1]);
    expect(merged.columns[0]).toEqual([2, 3, 4]);
  });

  it('shows a gap between the history and live readings that resume much later', () => {
    const merged = mergeLive(series([0, 15], [1, 1]), series([600], [5]), 15, 0);
    expect(merged.columns[0]).toEqual([1, 1, null, 5]);
    expect(lastKnown(merged.columns[0] ?? [])).toBe(5);
  });

  it('finds the points with no neighbour, to draw them as dots', () => {
    expect(isolatedIndices([1, null, 2, 3, null, 4])).toEqual([0, 5]);
    expect(isolatedIndices([null, 5, null])).toEqual([1]);
    expect(isolatedIndices([])).toEqual([]);
  });
});
