import type { PolicyViolation, PortConflict } from '@berth/contract';
import { portConflictErrors, type PortRow } from './container-draft.js';

/** Field messages for an API refusal: the schema's, or the port a running container holds. */
export function refusalFields(
  error: { code: string; details?: unknown; fieldErrors: () => Record<string, string> },
  ports: PortRow[],
): Record<string, string> {
  const fields = error.fieldErrors();
  if (error.code === 'name_taken') fields.name = 'a container with this name exists on this host';
  const details = error.details as
    { conflicts?: PortConflict[]; violations?: PolicyViolation[] } | undefined;
  // The host's security settings: each refused option under its own field (and row).
  if (error.code === 'forbidden_by_host_policy')
    for (const v of details?.violations ?? []) fields[v.field] ??= v.message;
  return { ...fields, ...portConflictErrors(ports, details?.conflicts ?? []) };
}
