const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};
const DURATION = /^((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g;

/**
 * Nanoseconds of a Go duration as compose and docker write it ("1m30s", "1.5s", "500ms"); a bare
 * number is seconds, as compose reads it. Null when the text is neither.
 */
export function parseGoDuration(text: string): number | null {
  const value = text.trim();
  if (/^(\d+(\.\d*)?|\.\d+)$/.test(value)) return Math.round(Number(value) * 1e9);
  if (!DURATION.test(value)) return null;
  let total = 0;
  for (const [, amount = '0', unit = 's'] of value.matchAll(PART))
    total += Number(amount) * (UNIT_NS[unit] ?? 0);
  return Math.round(total);
}
