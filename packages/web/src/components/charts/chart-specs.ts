import type { Series } from './series.js';
import type { ChartLine } from './TimeSeriesChart.js';
import { formatUnit, type ChartUnit } from './units.js';

/** One chart of a grid: its lines and their data, the unit, the caption's reading. */
export interface ChartSpec {
  id: string;
  title: string;
  unit: ChartUnit;
  lines: ChartLine[];
  data: Series;
  summary?: (values: (number | null)[]) => string;
}

/**
 * Memory used against its ceiling (a container's limit, a host's total): the ceiling is drawn
 * when it is near enough to matter; far above, the caption only names it.
 */
export function memorySpec(
  times: number[],
  used: (number | null)[],
  ceiling: number | null,
  words: { line: string; ceiling: string },
): ChartSpec {
  const peak = Math.max(0, ...used.map((v) => v ?? 0));
  const drawn = ceiling !== null && ceiling > 0 && ceiling <= peak * 4;
  const reading = (value: number | null): string =>
    value === null
      ? '—'
      : `${formatUnit('bytes', value)}${ceiling ? ` of ${formatUnit('bytes', ceiling)} ${words.ceiling} (${formatUnit('percent', (value / ceiling) * 100)})` : ''}`;
  return {
    id: 'memory',
    title: 'Memory',
    unit: 'bytes',
    lines: [
      { label: words.line, tone: 'accent' },
      ...(drawn ? [{ label: words.ceiling, tone: 'bad' as const, dash: [6, 4] }] : []),
    ],
    data: { times, columns: drawn ? [used, used.map(() => ceiling)] : [used] },
    summary: (values) => reading(values[0] ?? null),
  };
}

/** A chart of two rates (in/out, read/write). */
export function pairSpec(
  id: string,
  title: string,
  times: number[],
  [first, second]: [(number | null)[], (number | null)[]],
  [a, b]: [string, string],
  tone: 'good' | 'warn',
): ChartSpec {
  return {
    id,
    title,
    unit: 'bytesPerSecond',
    lines: [
      { label: a, tone: 'accent' },
      { label: b, tone },
    ],
    data: { times, columns: [first, second] },
  };
}

/** A chart of one line. */
export function singleSpec(
  id: string,
  title: string,
  unit: ChartUnit,
  times: number[],
  values: (number | null)[],
): ChartSpec {
  return {
    id,
    title,
    unit,
    lines: [{ label: title, tone: 'accent' }],
    data: { times, columns: [values] },
  };
}
