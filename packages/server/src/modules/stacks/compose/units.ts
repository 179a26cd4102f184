import { parseGoDuration, parseSize } from '@berth/contract';
import { asText, type Json } from './yaml-load.js';

/** A value that could not be read, with why; the normalizer turns it into an issue at its path. */
export class ValueError extends Error {}

/** Nanoseconds of a Go duration ("1m30s", "1.5s", "500ms"; a bare number is seconds, as compose reads it). */
export function parseDuration(value: Json): number {
  if (typeof value === 'number') return Math.round(value * 1e9);
  const text = asText(value).trim();
  if (text === '') throw new ValueError('an empty duration');
  const nanos = parseGoDuration(text);
  if (nanos === null) throw new ValueError(`"${text}" is not a duration like 10s or 1m30s`);
  return nanos;
}

function fraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const rest = value - whole * unit;
  if (rest === 0) return asText(whole);
  const digits = asText(unit).length - 1;
  return `${whole}.${asText(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

/** Nanoseconds as Go's time.Duration prints them, the way `docker compose config` writes durations. */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  if (ns < 1e3) return `${ns}ns`;
  if (ns < 1e6) return `${fraction(ns, 1e3)}µs`;
  if (ns < 1e9) return `${fraction(ns, 1e6)}ms`;
  const hours = Math.floor(ns / 3600e9);
  const minutes = Math.floor((ns - hours * 3600e9) / 60e9);
  const seconds = fraction(ns - hours * 3600e9 - minutes * 60e9, 1e9);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

export const duration = (value: Json): string => formatDuration(parseDuration(value));

/** Bytes of a size ("512m", "1g", a number of bytes). */
export function bytes(value: Json): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const size = parseSize(asText(value));
  if (size === null) throw new ValueError(`"${asText(value)}" is not a size like 512m or 1g`);
  return size;
}

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** A boolean, also as the strings interpolation leaves ("true", "0"). */
export function bool(value: Json): boolean {
  if (typeof value === 'boolean') return value;
  const text = asText(value);
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  throw new ValueError(`"${text}" is not true or false`);
}

export function int(value: Json): number {
  const n = typeof value === 'number' ? value : Number(asText(value).trim());
  if (!Number.isInteger(n)) throw new ValueError(`"${asText(value)}" is not a whole number`);
  return n;
}

/** Scalars as compose writes them into strings (numbers and booleans as text, null kept apart). */
export function text(value: Json): string {
  if (value === null) return '';
  if (typeof value === 'object') throw new ValueError('expected a single value');
  return asText(value);
}

/** An octal file mode: a number as written, or a string like "0440". */
export function octalMode(value: Json): number {
  if (typeof value === 'number') return value;
  const mode = Number.parseInt(asText(value), 8);
  if (Number.isNaN(mode)) throw new ValueError(`"${asText(value)}" is not an octal mode`);
  return mode;
}
