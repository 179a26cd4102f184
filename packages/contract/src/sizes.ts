/**
 * Sizes as `docker run --memory` reads them (go-units RAMInBytes): a number, an optional
 * space, then b, or k/m/g/t/p optionally followed by b or ib, in any case. Every unit is
 * 1024-based (`1g` = `1GB` = `1GiB` = 1073741824). Fractions are truncated to whole bytes.
 */

export const SIZE_MESSAGE = 'expected a size such as 512m';

const UNITS = ['k', 'm', 'g', 't', 'p'] as const;
const SIZE = /^(\d+(?:\.\d*)?|\.\d+) ?(?:([kmgtp])(?:i?b)?|b)?$/i;

/** Bytes for "512m", "1.5G", "64MiB", "1048576"; null when the text is not a size. */
export function parseSize(text: string): number | null {
  const match = SIZE.exec(text.trim());
  if (!match?.[1]) return null;
  const unit = match[2]?.toLowerCase();
  const power = unit ? UNITS.indexOf(unit as (typeof UNITS)[number]) + 1 : 0;
  const bytes = Math.trunc(Number(match[1]) * 1024 ** power);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/**
 * A byte count as a person would type it for docker: the largest unit it is an exact
 * multiple of ("64m", "1g", "1536k"), or the plain number ("1000").
 */
export function formatSize(bytes: number): string {
  if (!Number.isSafeInteger(bytes) || bytes <= 0) return String(bytes);
  for (let power = UNITS.length; power >= 1; power -= 1) {
    const unit = 1024 ** power;
    if (bytes % unit === 0) return `${bytes / unit}${UNITS[power - 1] ?? ''}`;
  }
  return String(bytes);
}

/** A byte count to read ("7.6 GiB", "512 MiB", "900 B"), for messages. */
export function describeSize(bytes: number): string {
  const names = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < names.length - 1) {
    value /= 1024;
    i += 1;
  }
  const shown = i === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${names[i] ?? 'B'}`;
}

/** The message for a size above what the host has. */
export const overHostMessage = (totalBytes: number): string =>
  `more than this host has (${describeSize(totalBytes)} of memory)`;
