/** Which hosts a fleet answer covers, and the helpers every fleet list shares. */
export interface FleetScope {
  /** Whether the caller may see the host (by grant of its id or one of its labels). */
  visible: (hostId: string) => boolean;
  /** Only these hosts. */
  host?: string[];
  /** Only hosts carrying one of these labels. */
  label?: string[];
}

/** Case-insensitive substring of any of the fields. */
export function matchesText(q: string, fields: (string | null)[]): boolean {
  const needle = q.toLowerCase();
  return fields.some((field) => field !== null && field.toLowerCase().includes(needle));
}

const collator = new Intl.Collator('en');

export function byHostThenName(
  a: { host: string; name: string },
  b: { host: string; name: string },
): number {
  return collator.compare(a.host, b.host) || collator.compare(a.name, b.name);
}

export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}

export function page<T>(items: T[], query: { limit: number; offset: number }): T[] {
  return items.slice(query.offset, query.offset + query.limit);
}
