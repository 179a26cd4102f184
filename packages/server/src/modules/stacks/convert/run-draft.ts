import type { ContainerSpec, ConvertWarning, MountSpec } from '@berth/contract';

/**
 * A container on its way to a compose service: Berth's ContainerSpec for what the create form
 * knows, and compose fields written as they are for what it does not (`init`, `ulimits`, …).
 * Both converters fill one: the `docker run` reader and the export from an inspect.
 */
export interface ServiceDraft {
  spec: Partial<ContainerSpec>;
  /** Compose service fields beyond the spec, in compose's own syntax. */
  compose: ComposeFields;
  warnings: ConvertWarning[];
}

/** Values compose writes as they are: strings, numbers, booleans, lists and maps of them. */
export type ComposeValue =
  string | number | boolean | null | ComposeValue[] | { [key: string]: ComposeValue };
export type ComposeFields = Record<string, ComposeValue>;

export function emptyDraft(): ServiceDraft {
  return { spec: {}, compose: {}, warnings: [] };
}

export function warn(draft: ServiceDraft, flag: string, message: string): void {
  draft.warnings.push({ flag, message });
}

/** Appends to a list field of the compose fields. */
export function appendField(draft: ServiceDraft, key: string, ...values: ComposeValue[]): void {
  const current = draft.compose[key];
  draft.compose[key] = [...(Array.isArray(current) ? current : []), ...values];
}

/** Sets one entry of a map field of the compose fields. */
export function setEntry(draft: ServiceDraft, key: string, name: string, value: ComposeValue) {
  const current = draft.compose[key];
  const map = current && typeof current === 'object' && !Array.isArray(current) ? current : {};
  draft.compose[key] = { ...map, [name]: value };
}

export function addMount(draft: ServiceDraft, mount: MountSpec): void {
  draft.spec.mounts = [...(draft.spec.mounts ?? []), mount];
}

/** `key=value` split at the first `=`; a missing `=` gives undefined as the value. */
export function keyValue(text: string): [string, string | undefined] {
  const eq = text.indexOf('=');
  return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}
