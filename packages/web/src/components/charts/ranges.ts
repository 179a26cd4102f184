/** The history ranges a chart offers, and the step that gives it a readable number of points. */
export const RANGES = [
  { id: '1h', label: '1 h', seconds: 3_600 },
  { id: '24h', label: '24 h', seconds: 86_400 },
  { id: '7d', label: '7 d', seconds: 7 * 86_400 },
  { id: '30d', label: '30 d', seconds: 30 * 86_400 },
] as const;
export type RangeId = (typeof RANGES)[number]['id'];

/** Steps a query may ask for, in seconds: each a multiple of the one before, from the sampler's. */
const STEPS = [15, 30, 60, 120, 300, 900, 1_800, 3_600, 7_200, 21_600, 86_400];

/** About as many points as a chart is wide; more would only be drawn over each other. */
const POINTS = 720;

/** The least step giving at most `points` points over `seconds` (1 h → 15 s, 30 d → 1 h). */
export function stepFor(seconds: number, points = POINTS): number {
  const wanted = seconds / points;
  return STEPS.find((step) => step >= wanted) ?? STEPS[STEPS.length - 1] ?? 86_400;
}

export function rangeById(id: string | null | undefined): (typeof RANGES)[number] | undefined {
  return RANGES.find((r) => r.id === id);
}

export interface RangeQuery {
  from: string;
  to: string;
  /** Seconds per point. */
  step: number;
}

/**
 * The query of a range ending now. `to` is rounded up to the step, so that the question (and
 * its cache key) stays the same for a step's time and the last bucket is whole at the server.
 */
export function rangeQuery(seconds: number, nowMs: number): RangeQuery {
  const step = stepFor(seconds);
  const to = Math.ceil(nowMs / 1000 / step) * step;
  return {
    from: new Date((to - seconds) * 1000).toISOString(),
    to: new Date(to * 1000).toISOString(),
    step,
  };
}
