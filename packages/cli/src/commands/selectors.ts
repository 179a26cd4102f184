import { CliError, UsageError } from '../core/errors.js';

/** One requirement of a `-l` selector, as kubectl reads them. */
export type LabelRequirement =
  | { op: 'exists'; key: string }
  | { op: 'absent'; key: string }
  | { op: 'equals'; key: string; value: string }
  | { op: 'differs'; key: string; value: string };

/**
 * `-l` values: `key`, `key=value` (or `==`), `key!=value`, `!key`; each value may hold several,
 * comma-separated, and `-l` may be repeated. All must hold.
 */
export function parseSelectors(values: readonly string[]): LabelRequirement[] {
  return values
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((term): LabelRequirement => {
      const differs = /^([^=!\s]+)\s*!=\s*(.*)$/.exec(term);
      if (differs) return { op: 'differs', key: differs[1] ?? '', value: differs[2] ?? '' };
      const equals = /^([^=!\s]+)\s*==?\s*(.*)$/.exec(term);
      if (equals) return { op: 'equals', key: equals[1] ?? '', value: equals[2] ?? '' };
      const absent = /^!\s*([^=!\s]+)$/.exec(term);
      if (absent) return { op: 'absent', key: absent[1] ?? '' };
      if (/^[^=!\s]+$/.test(term)) return { op: 'exists', key: term };
      throw new UsageError(
        `-l "${term}": a selector is key, key=value, key!=value or !key (comma-separated)`,
      );
    });
}

export function matchesSelectors(
  labels: Readonly<Record<string, string>>,
  requirements: readonly LabelRequirement[],
): boolean {
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'absent':
        return !has;
      case 'equals':
        return has && labels[r.key] === r.value;
      case 'differs':
        return !has || labels[r.key] !== r.value;
    }
  });
}

/**
 * Keeps the rows a command named (all when it named none). Every name that matched nothing is
 * returned so the command can print the rest and then fail naming them, as kubectl does.
 */
export function pickNamed<T>(
  rows: readonly T[],
  names: readonly string[],
  matches: (row: T, name: string) => boolean,
): { rows: T[]; missing: string[] } {
  if (names.length === 0) return { rows: [...rows], missing: [] };
  const missing = names.filter((n) => !rows.some((r) => matches(r, n)));
  return { rows: rows.filter((r) => names.some((n) => matches(r, n))), missing };
}

/** The failure after the found rows were printed: `containers "a", "b" not found`. */
export function notFound(plural: string, missing: readonly string[]): CliError {
  return new CliError(`${plural} ${missing.map((m) => `"${m}"`).join(', ')} not found`);
}

/** An id given as a prefix: `3f2a` matches `sha256:3f2a…` and `3f2a…` alike. */
export function idStartsWith(id: string, prefix: string): boolean {
  const bare = id.replace(/^sha256:/, '');
  const wanted = prefix.replace(/^sha256:/, '');
  return wanted.length > 0 && bare.startsWith(wanted);
}
