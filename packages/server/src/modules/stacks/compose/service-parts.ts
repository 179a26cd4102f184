import type { ComposeService } from '@berth/contract';
import { splitShellWords } from '@berth/contract';
import { isMap, listOrDict } from './merge.js';
import { bool, bytes, duration, int, text, ValueError } from './units.js';
import type { Json, JsonMap } from './yaml-load.js';

/** Records a problem at a path relative to the service being normalized. */
export type Report = (rel: string, message: string) => void;

export const NOT_SUPPORTED = 'is not supported by Berth yet';

/** `deploy` keys only a swarm stack carries (see swarm-deploy.ts). */
export const SWARM_DEPLOY_KEYS = new Set([
  'mode',
  'labels',
  'endpoint_mode',
  'placement',
  'update_config',
  'rollback_config',
  'restart_policy',
]);

/** Parses one value, reporting a bad one at its own path so the rest still normalizes. */
function at<T>(report: Report, rel: string, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ValueError)) throw error;
    report(rel, error.message);
    return undefined;
  }
}

export function words(value: Json): string[] | null {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(text);
  try {
    return splitShellWords(text(value));
  } catch (error) {
    throw new ValueError(error instanceof Error ? error.message : String(error));
  }
}

export const stringList = (value: Json | undefined): string[] | undefined =>
  value === undefined || value === null
    ? undefined
    : Array.isArray(value)
      ? value.map(text)
      : [text(value)];

export function stringMap(value: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(listOrDict(value))) out[k] = v === null ? '' : text(v);
  return out;
}

export function healthcheck(value: JsonMap, report: Report): ComposeService['healthcheck'] {
  const out: NonNullable<ComposeService['healthcheck']> = {};
  const test = value.test;
  if (typeof test === 'string') out.test = ['CMD-SHELL', test];
  else if (Array.isArray(test)) out.test = test.map(text);
  for (const key of ['interval', 'timeout', 'start_period', 'start_interval'] as const) {
    const v = value[key];
    if (v !== undefined && v !== null) out[key] = duration(v);
  }
  if (value.retries !== undefined) out.retries = int(value.retries);
  if (value.disable !== undefined) out.disable = bool(value.disable);
  for (const key of Object.keys(value)) {
    if (
      ![
        'test',
        'interval',
        'timeout',
        'start_period',
        'start_interval',
        'retries',
        'disable',
      ].includes(key) &&
      !key.startsWith('x-')
    ) {
      report(`healthcheck.${key}`, `healthcheck.${key} ${NOT_SUPPORTED}`);
    }
  }
  return out;
}

export function ulimits(value: JsonMap): NonNullable<ComposeService['ulimits']> {
  const out: NonNullable<ComposeService['ulimits']> = {};
  for (const [name, limit] of Object.entries(value)) {
    if (isMap(limit)) out[name] = { soft: int(limit.soft ?? null), hard: int(limit.hard ?? null) };
    else out[name] = { soft: int(limit), hard: int(limit) };
  }
  return out;
}

export function devices(value: Json[]): NonNullable<ComposeService['devices']> {
  return value.map((entry) => {
    if (isMap(entry)) {
      const source = text(entry.source ?? null);
      return {
        source,
        target: entry.target === undefined ? source : text(entry.target),
        ...(entry.permissions === undefined ? {} : { permissions: text(entry.permissions) }),
      };
    }
    const [source = '', target, permissions] = text(entry).split(':');
    return { source, target: target ?? source, ...(permissions ? { permissions } : {}) };
  });
}

/** `host:ip`, `host=ip` or a `{host: ip | [ips]}` map, as `host:ip` entries. */
export function extraHosts(value: Json): string[] {
  if (isMap(value)) {
    return Object.entries(value).flatMap(([host, ip]) =>
      (Array.isArray(ip) ? ip : [ip]).map((one) => `${host}:${text(one)}`),
    );
  }
  return (Array.isArray(value) ? value : [value]).map((entry) => {
    const line = text(entry);
    const eq = line.indexOf('=');
    return eq > 0 ? `${line.slice(0, eq)}:${line.slice(eq + 1)}` : line;
  });
}

const cpus = (value: Json): string => {
  const n = Number(text(value));
  if (!Number.isFinite(n) || n < 0)
    throw new ValueError(`"${text(value)}" is not a number of CPUs`);
  return String(n);
};

type Resources = NonNullable<NonNullable<ComposeService['deploy']>['resources']>;

/**
 * `deploy` (resources, replicas, the restart policy) and the legacy keys that mean the same
 * (`mem_limit`, `cpus`, `pids_limit`, `mem_reservation`, `scale`) folded into what Berth carries.
 */
export function deployment(
  service: JsonMap,
  target: ComposeService,
  report: Report,
  swarm = false,
): void {
  const deploy = isMap(service.deploy) ? service.deploy : {};
  const resources: Resources = {};
  const res = isMap(deploy.resources) ? deploy.resources : {};
  for (const kind of ['limits', 'reservations'] as const) {
    const spec = res[kind];
    if (!isMap(spec)) continue;
    const set: NonNullable<Resources['limits']> = {};
    for (const [key, v] of Object.entries(spec)) {
      const rel = `deploy.resources.${kind}.${key}`;
      if (key === 'cpus' || key === 'memory' || key === 'pids') {
        const value = at(report, rel, () =>
          key === 'memory' ? bytes(v) : key === 'pids' ? int(v) : cpus(v),
        );
        if (value !== undefined) Object.assign(set, { [key]: value });
      } else if (!key.startsWith('x-'))
        report(
          `deploy.resources.${kind}.${key}`,
          `deploy.resources.${kind}.${key} ${NOT_SUPPORTED}`,
        );
    }
    resources[kind] = set;
  }
  const legacy: [string, 'limits' | 'reservations', 'cpus' | 'memory' | 'pids'][] = [
    ['mem_limit', 'limits', 'memory'],
    ['cpus', 'limits', 'cpus'],
    ['pids_limit', 'limits', 'pids'],
    ['mem_reservation', 'reservations', 'memory'],
  ];
  for (const [key, kind, field] of legacy) {
    const v = service[key];
    if (v === undefined || v === null) continue;
    const set = resources[kind] ?? {};
    const value = at(report, key, () =>
      field === 'memory' ? bytes(v) : field === 'pids' ? int(v) : cpus(v),
    );
    if (value === undefined) continue;
    if (set[field] !== undefined && set[field] !== value) {
      report(key, `${key} and deploy.resources.${kind}.${field} differ; set one of them`);
    }
    Object.assign(set, { [field]: value });
    resources[kind] = set;
  }
  if (Object.keys(resources).length > 0) target.deploy = { resources };
  const replicas =
    deploy.replicas === undefined || deploy.replicas === null
      ? undefined
      : at(report, 'deploy.replicas', () => int(deploy.replicas ?? null));
  const scale =
    service.scale === undefined ? undefined : at(report, 'scale', () => int(service.scale ?? null));
  if (replicas !== undefined && scale !== undefined && replicas !== scale) {
    report('scale', `scale (${scale}) and deploy.replicas (${replicas}) differ; set one of them`);
  }
  target.scale = scale ?? replicas ?? 1;
  const policy = deploy.restart_policy;
  if (isMap(policy) && target.restart === undefined && !swarm) {
    const condition = policy.condition === undefined ? 'any' : text(policy.condition);
    const attempts = policy.max_attempts === undefined ? undefined : int(policy.max_attempts);
    if (condition === 'none') target.restart = 'no';
    else if (condition === 'on-failure')
      target.restart = attempts ? `on-failure:${attempts}` : 'on-failure';
    else if (condition === 'any') target.restart = 'always';
    else report('deploy.restart_policy.condition', `"${condition}" is not none, on-failure or any`);
    for (const key of ['delay', 'window']) {
      if (policy[key] !== undefined)
        report(`deploy.restart_policy.${key}`, `deploy.restart_policy.${key} ${NOT_SUPPORTED}`);
    }
  }
  for (const key of Object.keys(deploy)) {
    if (['resources', 'replicas', 'restart_policy'].includes(key) || key.startsWith('x-')) continue;
    if (swarm && SWARM_DEPLOY_KEYS.has(key)) continue;
    if (key === 'mode' && deploy.mode === 'replicated') continue;
    report(
      `deploy.${key}`,
      SWARM_DEPLOY_KEYS.has(key)
        ? `deploy.${key} ${NOT_SUPPORTED} for containers: a swarm stack honours it (Deploy to swarm)`
        : `deploy.${key} ${NOT_SUPPORTED}`,
    );
  }
}
