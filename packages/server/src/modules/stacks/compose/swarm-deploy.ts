import type { ComposeService } from '@berth/contract';
import { isMap } from './merge.js';
import { NOT_SUPPORTED, stringMap, type Report } from './service-parts.js';
import { duration, int, text, ValueError } from './units.js';
import type { Json, JsonMap } from './yaml-load.js';

type Deploy = NonNullable<ComposeService['deploy']>;
type UpdateConfig = NonNullable<Deploy['update_config']>;

/** What a warning says of a key that `docker stack deploy` ignores (the swarm plan lists it). */
export const SWARM_IGNORED = 'is ignored by swarm stacks';

/** Service keys the container runtime refuses but a swarm stack only ignores (as `docker stack deploy` does). */
export const SWARM_IGNORED_KEYS = new Set([
  'links',
  'external_links',
  'cgroup_parent',
  'mac_address',
  'userns_mode',
  'cpu_shares',
  'cpu_quota',
  'cpuset',
  'oom_score_adj',
  'platform',
]);

const oneOf = <T extends string>(
  value: Json | undefined,
  allowed: readonly T[],
  what: string,
): T => {
  const v = text(value ?? null);
  if (!(allowed as readonly string[]).includes(v))
    throw new ValueError(`"${v}" is not ${what}: ${allowed.join(', ')}`);
  return v as T;
};

function parsed<T>(report: Report, rel: string, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    report(rel, error.message);
    return undefined;
  }
}

function updateConfig(spec: JsonMap, rel: string, report: Report): UpdateConfig {
  const out: UpdateConfig = {};
  for (const [key, value] of Object.entries(spec)) {
    const at = `${rel}.${key}`;
    if (value === null || key.startsWith('x-')) continue;
    parsed(report, at, () => {
      if (key === 'parallelism') out.parallelism = int(value);
      else if (key === 'delay' || key === 'monitor') out[key] = duration(value);
      else if (key === 'failure_action')
        out.failure_action = oneOf(value, ['continue', 'rollback', 'pause'] as const, 'an action');
      else if (key === 'order')
        out.order = oneOf(value, ['stop-first', 'start-first'] as const, 'an order');
      else if (key === 'max_failure_ratio') {
        const ratio = Number(text(value));
        if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)
          throw new ValueError(`"${text(value)}" is not a ratio between 0 and 1`);
        out.max_failure_ratio = ratio;
      } else report(at, `${at} ${NOT_SUPPORTED}`);
    });
  }
  return out;
}

/** The swarm-only parts of `deploy`, parsed into the canonical project (each bad value named). */
export function swarmDeploy(deploy: JsonMap, report: Report): Partial<Deploy> {
  const out: Partial<Deploy> = {};
  if (deploy.mode !== undefined && deploy.mode !== null)
    out.mode = parsed(report, 'deploy.mode', () =>
      oneOf(deploy.mode, ['replicated', 'global'] as const, 'a mode'),
    );
  if (deploy.endpoint_mode !== undefined && deploy.endpoint_mode !== null)
    out.endpoint_mode = parsed(report, 'deploy.endpoint_mode', () =>
      oneOf(deploy.endpoint_mode, ['vip', 'dnsrr'] as const, 'an endpoint mode'),
    );
  if (deploy.labels !== undefined && deploy.labels !== null)
    out.labels = parsed(report, 'deploy.labels', () => stringMap(deploy.labels));
  if (isMap(deploy.placement)) {
    const spec = deploy.placement;
    const placement: NonNullable<Deploy['placement']> = {};
    if (Array.isArray(spec.constraints)) placement.constraints = spec.constraints.map(text);
    if (Array.isArray(spec.preferences))
      placement.preferences = spec.preferences.map((p) => ({
        spread: text(isMap(p) ? (p.spread ?? null) : p),
      }));
    if (spec.max_replicas_per_node !== undefined)
      placement.max_replicas_per_node = parsed(
        report,
        'deploy.placement.max_replicas_per_node',
        () => int(spec.max_replicas_per_node ?? null),
      );
    for (const key of Object.keys(spec))
      if (!['constraints', 'preferences', 'max_replicas_per_node'].includes(key))
        report(`deploy.placement.${key}`, `deploy.placement.${key} ${NOT_SUPPORTED}`);
    out.placement = placement;
  }
  for (const key of ['update_config', 'rollback_config'] as const) {
    const spec = deploy[key];
    if (isMap(spec)) out[key] = updateConfig(spec, `deploy.${key}`, report);
  }
  if (isMap(deploy.restart_policy)) {
    const spec = deploy.restart_policy;
    const policy: NonNullable<Deploy['restart_policy']> = {};
    for (const [key, value] of Object.entries(spec)) {
      const at = `deploy.restart_policy.${key}`;
      if (value === null) continue;
      parsed(report, at, () => {
        if (key === 'condition')
          policy.condition = oneOf(value, ['none', 'on-failure', 'any'] as const, 'a condition');
        else if (key === 'delay' || key === 'window') policy[key] = duration(value);
        else if (key === 'max_attempts') policy.max_attempts = int(value);
        else report(at, `${at} ${NOT_SUPPORTED}`);
      });
    }
    out.restart_policy = policy;
  }
  if (deploy.replicas !== undefined && deploy.replicas !== null)
    out.replicas = parsed(report, 'deploy.replicas', () => int(deploy.replicas ?? null));
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
