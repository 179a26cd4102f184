import { isDeepStrictEqual } from 'node:util';
import type { ContainerSpec } from '@berth/contract';

/** Absent, empty and null say the same of an option: "not set". */
function unset(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** The options a recreate changes: those whose value differs between the old and new spec. */
export function changedOptions(before: ContainerSpec, after: ContainerSpec): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((key) => {
      const a: unknown = before[key as keyof ContainerSpec];
      const b: unknown = after[key as keyof ContainerSpec];
      return !(unset(a) && unset(b)) && !isDeepStrictEqual(a, b);
    })
    .sort();
}
