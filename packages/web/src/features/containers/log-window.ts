/** Which part of a container's log history the viewer asks for: lines from the end, a time range. */

export const TAIL_CHOICES = ['100', '500', '1000', 'all'] as const;
export type TailChoice = (typeof TAIL_CHOICES)[number];

export const RANGE_CHOICES = {
  all: 'Whole log',
  '15m': 'Last 15 min',
  '1h': 'Last 1 h',
  '1d': 'Last 1 d',
  custom: 'Custom range',
} as const;
export type RangeChoice = keyof typeof RANGE_CHOICES;

const PRESET_MS: Partial<Record<RangeChoice, number>> = {
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '1d': 24 * 60 * 60_000,
};

export interface LogWindow {
  tail: TailChoice;
  since?: string;
  until?: string;
}

/** A `datetime-local` value (the browser's time zone) as ISO 8601; null when empty or invalid. */
export function localToIso(value: string): string | null {
  if (!value) return null;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** An ISO time as a `datetime-local` value with seconds, in the browser's time zone. */
export function isoToLocal(iso: string): string {
  const date = new Date(iso);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/**
 * The window for the controls, or the reason it is not one. A preset is counted back from
 * `now` (the moment it was picked), so the window stays put while the viewer follows.
 */
export function logWindow(
  tail: TailChoice,
  range: RangeChoice,
  custom: { since: string; until: string },
  now: number,
): { window: LogWindow } | { error: string } {
  const preset = PRESET_MS[range];
  if (preset !== undefined)
    return { window: { tail, since: new Date(now - preset).toISOString() } };
  if (range !== 'custom') return { window: { tail } };
  const since = localToIso(custom.since);
  const until = localToIso(custom.until);
  if (custom.since && !since) return { error: 'Since is not a date and time' };
  if (custom.until && !until) return { error: 'Until is not a date and time' };
  if (since && until && since >= until) return { error: 'Since must be before until' };
  return {
    window: { tail, ...(since ? { since } : {}), ...(until ? { until } : {}) },
  };
}
