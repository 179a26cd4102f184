/** A plain JSON value as a compose file holds it after YAML is read. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonMap = Record<string, Json>;

export interface Position {
  line: number;
  column: number;
}

/**
 * One compose file read: its value, where each path of it was written, and which paths carry
 * compose's `!reset` / `!override` tags (kept apart so the value stays plain JSON).
 */
export interface ComposeDocument {
  /** Relative to the stack folder, as issues name it. */
  file: string;
  value: JsonMap;
  positions: Map<string, Position>;
  resets: Set<string>;
  overrides: Set<string>;
}

/** A value as text: scalars as written, collections as JSON (for keys and messages). */
export function asText(value: Json | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A mapping without one key. */
export function omit(map: JsonMap, key: string): JsonMap {
  const out = { ...map };
  delete out[key];
  return out;
}
