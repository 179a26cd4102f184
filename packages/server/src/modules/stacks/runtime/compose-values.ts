import { createHash } from 'node:crypto';
import { parseGoDuration, parseSize } from '@berth/contract';
import { AppError } from '../../../core/errors.js';

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A Go duration ("1m30s", "500ms") in seconds (the schema checked its form). */
export function durationSeconds(duration: string): number {
  return (parseGoDuration(duration) ?? 0) / 1e9;
}

/** A size as compose short syntax writes it ("64m", "1g", "1024"), in bytes; null when not one. */
export function sizeBytes(text: string): number | null {
  return parseSize(text);
}

/** 400 naming the compose path of what Berth does not do (yet), never a silent drop. */
export function unsupported(path: string, what: string): AppError {
  const message = `${path}: ${what} is not supported by Berth's compose engine yet`;
  return AppError.badRequest('compose_unsupported', message, {
    issues: [{ field: path, message }],
  });
}

export function invalid(path: string, message: string): AppError {
  return AppError.badRequest('compose_invalid', `${path}: ${message}`, {
    issues: [{ field: path, message }],
  });
}
