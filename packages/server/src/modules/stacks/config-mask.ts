/** What a secret value is replaced by wherever it occurs in an answer. */
export const MASK = '********';

/**
 * `value` with every occurrence of each secret (as a whole string or inside one) replaced by
 * `********`, at any depth; the longest secrets first, so one holding another is masked whole.
 * Keys stay as they are. An empty secret masks nothing.
 */
export function maskSecrets<T>(value: T, secrets: readonly string[]): T {
  const ordered = [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return ordered.reduce((text, s) => text.split(s).join(MASK), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, walk(e)]));
    return v;
  };
  return walk(value) as T;
}
