import { parseGoDuration, parseSize } from '@berth/contract';
import { type ServiceDraft, warn } from './run-draft.js';

/** One `docker run` flag: its names, whether it takes a value, and what it does to a draft. */
export interface RunFlag {
  /** Long names without dashes; the first is the one warnings use. */
  names: readonly string[];
  short?: string;
  /** Takes a value (`--name web`); else a switch (`--init`, `--init=false`). */
  value: boolean;
  apply: (value: string, draft: ServiceDraft, flag: string) => void;
}

/** A flag docker run has that compose cannot carry: named in the warnings. */
export function unsupported(names: string[], value: boolean, why: string, short?: string) {
  return {
    names,
    value,
    ...(short ? { short } : {}),
    apply: (_value: string, draft: ServiceDraft, flag: string) => warn(draft, flag, why),
  } satisfies RunFlag;
}

/** A switch's value: `--init` and `--init=true` are on, `--init=false` off. */
export function switchOn(value: string): boolean {
  return !['false', '0', 'no', 'off'].includes(value.toLowerCase());
}

/** Seconds of a Go duration ("1m30s", "500ms"); a bare number is seconds. Null if neither. */
export function durationSeconds(text: string): number | null {
  const nanos = parseGoDuration(text);
  return nanos === null ? null : nanos / 1e9;
}

/** A value the flag needs in a form it is not in: warned about and left out. */
export function badValue(draft: ServiceDraft, flag: string, value: string, expected: string) {
  warn(draft, flag, `"${value}" is not ${expected}; left out`);
}

export function sizeOf(draft: ServiceDraft, flag: string, value: string): number | null {
  const bytes = parseSize(value);
  if (bytes === null) badValue(draft, flag, value, 'a size such as 512m');
  return bytes;
}

export function integerOf(draft: ServiceDraft, flag: string, value: string): number | null {
  if (/^-?\d+$/.test(value)) return Number(value);
  badValue(draft, flag, value, 'a whole number');
  return null;
}

/** docker's CSV records (--mount, --network name=…): fields split at commas, quotes kept together. */
export function csvFields(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charAt(i);
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}
