import type { LogLevel } from '@berth/contract';

const NAMES: Record<string, LogLevel> = {
  fatal: 'error',
  panic: 'error',
  emerg: 'error',
  emergency: 'error',
  alert: 'error',
  crit: 'error',
  critical: 'error',
  err: 'error',
  error: 'error',
  severe: 'error',
  warn: 'warn',
  warning: 'warn',
  notice: 'info',
  info: 'info',
  debug: 'debug',
  trace: 'debug',
  fine: 'debug',
};
const WORDS = Object.keys(NAMES).join('|');

/** JSON logs: `"level":"error"`, `"severity":"WARN"`, pino's `"level":50`. */
const JSON_LEVEL =
  /"(?:level|lvl|severity|log\.level|loglevel)"\s*:\s*(?:"([A-Za-z]+)"|(\d{1,2})\b)/i;
/** logfmt: `level=error`, `lvl=warn`, `severity="info"`. */
const LOGFMT_LEVEL = /\b(?:level|lvl|severity)=["']?([A-Za-z]+)/i;
/** `[ERROR]`, `[warn]`, `<error>`. */
const BRACKETED = new RegExp(`[[<](${WORDS})[\\]>]`, 'i');
/** `ERROR: …`, `… WARN something`, `E0102`-free upper-case words standing alone. */
const UPPER_WORD = new RegExp(`(?:^|[\\s|:])(${WORDS.toUpperCase()})(?=[\\s:|\\]]|$)`);
/** A line that starts with the level: `error: …`, `Warning: …`. */
const LEADING = new RegExp(`^\\s*(${WORDS})\\b[:\\s]`, 'i');

function byName(name: string | undefined): LogLevel | null {
  return name ? (NAMES[name.toLowerCase()] ?? null) : null;
}

/** Pino and bunyan numbers: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
function byNumber(value: number): LogLevel {
  if (value >= 50) return 'error';
  if (value >= 40) return 'warn';
  if (value >= 30) return 'info';
  return 'debug';
}

/** The level a line is written at, in the common formats; null when it says none. */
export function detectLevel(text: string): LogLevel | null {
  const json = JSON_LEVEL.exec(text);
  if (json) return json[2] ? byNumber(Number(json[2])) : byName(json[1]);
  return (
    byName(LOGFMT_LEVEL.exec(text)?.[1]) ??
    byName(BRACKETED.exec(text)?.[1]) ??
    byName(UPPER_WORD.exec(text)?.[1]) ??
    byName(LEADING.exec(text)?.[1])
  );
}

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX = /\b(?:0x[0-9a-f]+|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,})\b/gi;
const NUMBER = /\d+(?:\.\d+)?/g;

/** A line's shape: UUIDs, hex ids and numbers replaced, so that repeats count as one. */
export function normaliseLine(text: string): string {
  return text.trim().replace(UUID, '<uuid>').replace(HEX, '<hex>').replace(NUMBER, '<n>');
}
