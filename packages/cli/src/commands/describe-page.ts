import { io, paint } from '../core/io.js';
import { age } from '../core/output.js';

type Value = string | number | boolean | null | undefined;

interface Line {
  indent: number;
  label: string;
  value: string | null;
}

const NONE = '<none>';
const LABEL_WIDTH_MAX = 22;

function shown(value: Value): string {
  if (value === null || value === undefined || value === '') return NONE;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/**
 * A kubectl-describe page: `Label:  value` lines, values aligned, sections (`Ports:`) holding
 * indented lines or a list of values one per line.
 */
export class DescribePage {
  private readonly lines: Line[] = [];
  private indent = 0;

  field(label: string, value: Value): this {
    this.lines.push({ indent: this.indent, label: `${label}:`, value: shown(value) });
    return this;
  }

  /** Values one per line under the label (the first beside it); `<none>` when empty. */
  list(label: string, values: readonly string[]): this {
    const [first, ...rest] = values;
    this.lines.push({ indent: this.indent, label: `${label}:`, value: first ?? NONE });
    for (const v of rest) this.lines.push({ indent: this.indent, label: '', value: v });
    return this;
  }

  /** `key=value` lines of a record, sorted by key. */
  pairs(label: string, record: Readonly<Record<string, string>> | null | undefined): this {
    return this.list(
      label,
      Object.entries(record ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`),
    );
  }

  /** A titled section whose fields `fill` adds one level in. */
  section(title: string, fill: (page: this) => void): this {
    this.lines.push({ indent: this.indent, label: `${title}:`, value: null });
    this.indent += 1;
    fill(this);
    this.indent -= 1;
    return this;
  }

  /** A line of its own inside a section ("web (running)"). */
  text(value: string): this {
    this.lines.push({ indent: this.indent, label: value, value: null });
    return this;
  }

  render(): string[] {
    const width = Math.min(
      LABEL_WIDTH_MAX,
      Math.max(
        0,
        ...this.lines.filter((l) => l.value !== null).map((l) => l.indent * 2 + l.label.length),
      ),
    );
    return this.lines.map((l) => {
      const label = `${'  '.repeat(l.indent)}${l.label}`;
      if (l.value === null) return l.indent === 0 ? paint('bold', label) : label;
      return `${label.padEnd(width)}  ${l.value}`.trimEnd();
    });
  }

  print(): void {
    for (const line of this.render()) io.out(line);
  }
}

/** "2026-03-01T10:00:00Z (5d ago)", or `<none>`. */
export function when(iso: string | null | undefined): string {
  if (!iso || iso.startsWith('0001-')) return NONE;
  return `${iso} (${age(iso)} ago)`;
}
