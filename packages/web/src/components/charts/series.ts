/**
 * Chart data as uPlot takes it: times in seconds and one column of values per line, null
 * where there is no value (drawn as a gap).
 */
export interface Series {
  times: number[];
  columns: (number | null)[][];
}

export const emptySeries = (lines: number): Series => ({
  times: [],
  columns: Array.from({ length: lines }, () => []),
});

/**
 * Counter totals as rates per second between consecutive readings. A counter that went down
 * (the container restarted), a missing reading, or no time between readings give a gap.
 */
export function ratesOf(
  times: readonly number[],
  totals: readonly (number | null)[],
): (number | null)[] {
  return totals.map((total, i) => {
    const [prev, t, tPrev] = [totals[i - 1], times[i], times[i - 1]];
    if (i === 0 || total === null || total === undefined) return null;
    if (prev === null || prev === undefined || t === undefined || tPrev === undefined) return null;
    if (t <= tPrev) return null;
    const delta = total - prev;
    return delta < 0 ? null : delta / (t - tPrev);
  });
}

/**
 * Gaps made visible: where two points lie further apart than `maxGap` seconds (the sampler
 * did not run, the container was stopped), a row of nulls between them breaks the line.
 */
export function withGaps(series: Series, maxGap: number): Series {
  const times: number[] = [];
  const columns: (number | null)[][] = series.columns.map(() => []);
  series.times.forEach((t, i) => {
    const prev = series.times[i - 1];
    if (prev !== undefined && t - prev > maxGap) {
      times.push((prev + t) / 2);
      columns.forEach((column) => column.push(null));
    }
    times.push(t);
    columns.forEach((column, c) => column.push(series.columns[c]?.[i] ?? null));
  });
  return { times, columns };
}

/** The mean of the values that are not gaps; null when all are. */
function mean(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
}

/**
 * Live readings put on a history chart: the readings after the last history point, averaged
 * into buckets of `step` seconds (the history's own resolution, so a 30-day chart does not get
 * one point a second), appended; then everything before `from` dropped and gaps marked.
 */
export function mergeLive(history: Series, live: Series, step: number, from: number): Series {
  const last = history.times[history.times.length - 1] ?? -Infinity;
  const buckets = new Map<number, number[]>();
  live.times.forEach((t, i) => {
    if (t <= last) return;
    const bucket = Math.floor(t / step) * step;
    // A reading in the history's last bucket is already counted there.
    if (bucket <= last && step > 1) return;
    buckets.set(bucket, [...(buckets.get(bucket) ?? []), i]);
  });
  const times = [...history.times];
  const columns = history.columns.map((column) => [...column]);
  for (const [bucket, rows] of [...buckets].sort((a, b) => a[0] - b[0])) {
    times.push(step > 1 ? bucket : (live.times[rows[0] ?? 0] ?? bucket));
    columns.forEach((column, c) =>
      column.push(mean(rows.map((r) => live.columns[c]?.[r] ?? null))),
    );
  }
  const keep = times.findIndex((t) => t >= from);
  const start = keep < 0 ? times.length : keep;
  return withGaps(
    { times: times.slice(start), columns: columns.map((column) => column.slice(start)) },
    Math.max(step * 2.5, 5),
  );
}

/** The last value of a column that is not a gap. */
export function lastKnown(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i -= 1) {
    const value = values[i];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/** The points with no neighbour to draw a line to: shown as dots, else they would not show. */
export function isolatedIndices(values: readonly (number | null | undefined)[]): number[] {
  const known = (v: number | null | undefined): boolean => v !== null && v !== undefined;
  return values.flatMap((v, i) =>
    known(v) && !known(values[i - 1]) && !known(values[i + 1]) ? [i] : [],
  );
}
