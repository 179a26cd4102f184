import { formatBytes } from '../ui.js';

/** What a chart's values measure; the axis and the hover legend format them alike. */
export type ChartUnit = 'percent' | 'bytes' | 'bytesPerSecond' | 'count';

const percent = (v: number): string => `${Number(v.toFixed(v > 0 && v < 1 ? 2 : 1))} %`;
const count = (v: number): string =>
  Math.abs(v) >= 10_000 ? `${Number((v / 1000).toFixed(1))} k` : String(Math.round(v));

const FORMATS: Record<ChartUnit, (v: number) => string> = {
  percent,
  bytes: formatBytes,
  bytesPerSecond: (v) => `${formatBytes(v)}/s`,
  count,
};

/** A value with its unit: "12.5 %", "512 KiB", "1.2 MiB/s", "7"; a gap is a dash. */
export function formatUnit(unit: ChartUnit, value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : FORMATS[unit](value);
}

/** Steps between byte ticks, in powers of two, so that ticks read 512 KiB, 1 MiB, 2 MiB. */
export const BYTE_STEPS = [0, 1, 2, 3, 4].flatMap((power) =>
  [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((step) => step * 1024 ** power),
);

/** Steps between ticks of a count: whole numbers only (no "0.5 PIDs"). */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 100_000];

/** The tick steps uPlot may choose from for a unit (undefined: its own decimal steps). */
export function tickSteps(unit: ChartUnit): number[] | undefined {
  if (unit === 'bytes' || unit === 'bytesPerSecond') return BYTE_STEPS;
  if (unit === 'count') return COUNT_STEPS;
  return undefined;
}

/** The least top of the y scale, so that a quiet series does not fill the chart with noise. */
export function leastTop(unit: ChartUnit): number {
  return { percent: 5, bytes: 1024 * 1024, bytesPerSecond: 1024, count: 4 }[unit];
}
