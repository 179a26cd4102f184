import { describeSize } from '@berth/contract';
import { stringify } from 'yaml';
import { UsageError } from './errors.js';
import { io, paint, type Colour } from './io.js';

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml', 'name'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function parseOutputFormat(value: string | undefined): OutputFormat {
  const format = value ?? 'table';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`-o must be one of ${OUTPUT_FORMATS.join(', ')} (got "${format}")`);
  }
  return format as OutputFormat;
}

/** A column of a table: its heading, its cell, and whether only `-o wide` shows it. */
export interface Column<T> {
  header: string;
  value: (row: T) => string;
  wide?: boolean;
  /** Colour of a cell (state columns); ignored without a TTY. */
  colour?: (row: T) => Colour | undefined;
  /** May be cut to fit the terminal (long names, commands); others keep their width. */
  shrink?: boolean;
}

const GAP = '   ';

/**
 * kubectl's table: upper-case headings, columns separated by three spaces, no borders. On a
 * terminal, shrinkable columns are cut (with …) so each row fits its width; piped output is
 * never cut.
 */
export function renderTable<T>(
  rows: readonly T[],
  columns: readonly Column<T>[],
  options: { wide?: boolean; width?: number; colour?: boolean; headers?: boolean } = {},
): string[] {
  const shown = columns.filter((c) => options.wide || !c.wide);
  const cells = rows.map((row) => shown.map((c) => c.value(row).replace(/\s*\n\s*/g, ' ')));
  const widths = shown.map((c, i) =>
    Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)),
  );
  if (options.width !== undefined) {
    const total = (): number =>
      widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1);
    // Cut the widest shrinkable column a character at a time, down to its heading's width.
    while (total() > options.width) {
      let widest = -1;
      shown.forEach((c, i) => {
        const w = widths[i] ?? 0;
        if (
          c.shrink &&
          w > Math.max(c.header.length, 8) &&
          (widest < 0 || w > (widths[widest] ?? 0))
        )
          widest = i;
      });
      if (widest < 0) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  }
  const fit = (text: string, width: number): string =>
    text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  const line = (values: string[], colours: (Colour | undefined)[] = []): string =>
    values
      .map((v, i) => {
        const width = widths[i] ?? 0;
        const text = fit(v, width);
        const padded = i === values.length - 1 ? text : text.padEnd(width);
        const colour = colours[i];
        return colour && options.colour ? paint(colour, padded, true) : padded;
      })
      .join(GAP)
      .trimEnd();
  const out = options.headers === false ? [] : [line(shown.map((c) => c.header))];
  rows.forEach((row, r) =>
    out.push(
      line(
        cells[r] ?? [],
        shown.map((c) => c.colour?.(row)),
      ),
    ),
  );
  return out;
}

/**
 * Prints a list: a table (`table`, `wide`), the contract's own answer (`json`, `yaml`: stable,
 * what the API returned), or one name per line (`name`, for scripts: `kind/name`).
 */
export function printList<T>(
  format: OutputFormat,
  answer: unknown,
  rows: readonly T[],
  columns: readonly Column<T>[],
  name: (row: T) => string,
): void {
  if (format === 'json' || format === 'yaml') {
    printData(format, answer);
    return;
  }
  if (format === 'name') {
    for (const row of rows) io.out(name(row));
    return;
  }
  if (rows.length === 0) {
    io.err('No resources found.');
    return;
  }
  for (const line of renderTable(rows, columns, {
    wide: format === 'wide',
    width: io.isTty ? io.columns : undefined,
    colour: io.colour,
  }))
    io.out(line);
}

/** JSON (two-space indented) or YAML of a value, exactly as the API answered it. */
export function printData(format: 'json' | 'yaml', value: unknown): void {
  io.out(format === 'json' ? JSON.stringify(value, null, 2) : stringify(value).trimEnd());
}

/** "3m", "2h", "5d": how long ago an ISO time was, as kubectl's AGE column. */
export function age(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.round(hours / 24)}d`;
}

/** A byte count to read ("7.6 GiB"), or "-" when unknown. */
export function bytes(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : describeSize(value);
}
