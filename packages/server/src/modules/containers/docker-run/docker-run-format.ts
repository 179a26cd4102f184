/**
 * How `docker run` spells values: Go durations, CSV records (--mount, --gpus),
 * exact decimals. Shared by the flag builders of the reconstructed `docker run`.
 */

/** Go's `time.Duration.String()`, the form `docker run` parses for its duration flags. */
export function goDuration(nanoseconds: number): string {
  if (!Number.isFinite(nanoseconds)) {
    throw new RangeError(`not a finite duration: ${nanoseconds}`);
  }
  const total = Math.round(Math.abs(nanoseconds));
  if (total === 0) return '0s';
  const sign = nanoseconds < 0 ? '-' : '';
  if (total < 1e3) return `${sign}${total}ns`;
  if (total < 1e6) return `${sign}${withFraction(total, 1e3, 3)}\u00b5s`;
  if (total < 1e9) return `${sign}${withFraction(total, 1e6, 6)}ms`;
  const seconds = `${withFraction(total % 60e9, 1e9, 9)}s`;
  const minutes = Math.floor(total / 60e9);
  if (minutes === 0) return `${sign}${seconds}`;
  const hours = Math.floor(minutes / 60);
  const rest = `${minutes % 60}m${seconds}`;
  return hours === 0 ? `${sign}${rest}` : `${sign}${hours}h${rest}`;
}

/** `value / unit` as a decimal with no trailing zeros; integer arithmetic keeps it exact. */
export function withFraction(value: number, unit: number, digits: number): string {
  const whole = Math.floor(value / unit);
  const fraction = value % unit;
  if (fraction === 0) return String(whole);
  return `${whole}.${String(fraction).padStart(digits, '0').replace(/0+$/, '')}`;
}

/** docker parses --mount and --gpus as one CSV record, so a field holding a comma or quote is quoted. */
export function csvField(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}

export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

export function sameList(
  a: readonly string[] | null | undefined,
  b: readonly string[] | null | undefined,
): boolean {
  const left = a ?? [];
  const right = b ?? [];
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

/** `flag value` for each value, in order. */
export function repeated(flag: string, values: readonly string[] | null | undefined): string[] {
  return (values ?? []).flatMap((value) => [flag, value]);
}

/** `flag key=value` for each entry of a map. */
export function keyValues(
  flag: string,
  map: Readonly<Record<string, string>> | null | undefined,
): string[] {
  return Object.entries(map ?? {}).flatMap(([key, value]) => [flag, `${key}=${value}`]);
}
