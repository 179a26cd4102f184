import type { ComposeProject, ComposeService } from '@berth/contract';
import { sha256, stableJson } from './compose-values.js';

/** What does not change a container: how many there are, what it waits for, which profiles. */
const NOT_CONTAINER: readonly string[] = ['scale', 'depends_on', 'profiles', 'pull_policy'];
/** Maps whose entries are listed one by one when they differ (`environment.FOO`). */
const PER_KEY: readonly string[] = ['environment', 'labels'];
/** A label's value is at most 4096 characters: past this, maps are digested whole. */
const LABEL_ROOM = 4000;

const digest = (value: unknown): string => sha256(stableJson(value)).slice(0, 12);

/**
 * A keyed digest (HMAC with a key of Berth's) of a secret's or config's content: what a label
 * holds of it, so that nobody who can read the labels can test guesses of the value.
 */
export type ContentSeal = (content: string) => string;

/**
 * A short digest per compose field of a service (per entry for environment and labels), with
 * the project-level things it refers to (network and volume names, secret files) folded in,
 * so that a plan can name what differs from the container made earlier.
 */
export function serviceFields(
  project: ComposeProject,
  name: string,
  service: ComposeService,
  seal: ContentSeal,
): Record<string, string> {
  const perKey: Record<string, string> = {};
  const whole: Record<string, string> = {};
  for (const [field, value] of Object.entries(service)) {
    if (value === undefined || NOT_CONTAINER.includes(field)) continue;
    whole[field] = digest(value);
    if (PER_KEY.includes(field))
      for (const [key, entry] of Object.entries(value as Record<string, unknown>))
        perKey[`${field}.${key}`] = digest(entry);
    else perKey[field] = whole[field];
  }
  const referred = {
    networks: Object.keys(service.networks ?? { default: null }).map((k) => project.networks[k]),
    volumes: service.volumes.map((v) => (v.source ? project.volumes[v.source] : undefined)),
    files: [...(service.secrets ?? []), ...(service.configs ?? [])].map(
      (ref) => project.secrets[ref.source]?.file ?? project.configs[ref.source]?.file,
    ),
  };
  // Each secret and config's source, so a changed file path or content names it (a digest only).
  const sources: Record<string, string> = {};
  for (const kind of ['secrets', 'configs'] as const)
    for (const ref of service[kind] ?? []) {
      const object = project[kind][ref.source];
      const content = object?.content === undefined ? null : seal(object.content);
      sources[`${kind}.${ref.source}`] = digest([object?.file ?? null, content]);
    }
  const resources = {
    project_resources: digest(referred),
    service_name: digest(name),
    ...sources,
  };
  const detailed = { ...perKey, ...resources };
  return JSON.stringify(detailed).length <= LABEL_ROOM ? detailed : { ...whole, ...resources };
}

/** The fields whose digests differ, in a stable order; `config` when none can be named. */
export function changedFields(
  before: Record<string, string> | null,
  after: Record<string, string>,
): string[] {
  if (!before) return ['config'];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed = [...keys].filter((k) => before[k] !== after[k]).sort();
  return changed.length > 0 ? changed : ['config'];
}
