/**
 * The engine's `label=` filter, for lists Berth filters itself: `key` matches any value,
 * `key=value` only that value. Undefined matches everything.
 */
export function matchesLabel(
  labels: Record<string, string> | null | undefined,
  filter: string | undefined,
): boolean {
  if (filter === undefined) return true;
  const at = filter.indexOf('=');
  const key = at < 0 ? filter : filter.slice(0, at);
  if (!labels || !(key in labels)) return false;
  return at < 0 || labels[key] === filter.slice(at + 1);
}

/** The docker CLI flags for the same filter. */
export const labelFlags = (filter: string | undefined): string[] =>
  filter === undefined ? [] : ['--filter', `label=${filter}`];
