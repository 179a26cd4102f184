import { asText, type Json, type JsonMap } from './yaml-load.js';
import { portKey } from './ports.js';
import { volumeTarget } from './service-volumes.js';

/** The tag an override file put on a path: `!reset` drops the key, `!override` replaces it whole. */
export type TagAt = (path: string) => 'reset' | 'override' | undefined;

export const isMap = (value: Json | undefined): value is JsonMap =>
  value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);

/** `KEY=v` lists and `KEY: v` maps alike, as a map (a bare `KEY` in a list is null: unset). */
export function listOrDict(value: Json | undefined, separator = '='): JsonMap {
  if (isMap(value)) return { ...value };
  const out: JsonMap = {};
  if (!Array.isArray(value)) return out;
  for (const item of value) {
    const text = asText(item);
    const at = text.indexOf(separator);
    if (at < 0) out[text] = null;
    else out[text.slice(0, at)] = text.slice(at + 1);
  }
  return out;
}

/** Service keys merged as mappings though they may be written as lists. */
const AS_MAP: Record<string, string> = {
  environment: '=',
  labels: '=',
  annotations: '=',
  sysctls: '=',
  'build.args': '=',
  'build.labels': '=',
  'deploy.labels': '=',
};
/** Sequences replaced, not appended. */
const REPLACED = new Set(['command', 'entrypoint', 'healthcheck.test']);
/** Sequences merged by a key: an override entry replaces the base entry with its key. */
const KEYED: Record<string, (item: Json) => string> = {
  ports: portKey,
  volumes: (item) => volumeTarget(item) ?? JSON.stringify(item),
  secrets: (item) => (isMap(item) ? asText(item.target ?? item.source) : asText(item)),
  configs: (item) => (isMap(item) ? asText(item.target ?? item.source) : asText(item)),
  devices: (item) => (isMap(item) ? asText(item.target ?? item.source) : asText(item)),
};

function asServiceShape(service: JsonMap): JsonMap {
  const out = { ...service };
  if (typeof out.build === 'string') out.build = { context: out.build };
  if (typeof out.env_file === 'string') out.env_file = [out.env_file];
  if (Array.isArray(out.depends_on)) {
    out.depends_on = Object.fromEntries(
      out.depends_on.map((name) => [asText(name), { condition: 'service_started' }]),
    );
  }
  if (Array.isArray(out.networks)) {
    out.networks = Object.fromEntries(out.networks.map((name) => [asText(name), null]));
  }
  for (const key of ['dns', 'dns_search', 'tmpfs'])
    if (typeof out[key] === 'string') out[key] = [out[key]];
  return out;
}

/**
 * One service over another by the compose spec's merge rules: mappings merged, `environment`
 * / `labels` / `sysctls` / build args merged by key, `ports` / `volumes` / `secrets` / `configs`
 * merged by their keys, `command` / `entrypoint` replaced, other sequences appended without
 * duplicates; `!reset` and `!override` as tagged at `path` of the override's file.
 */
export function mergeService(base: JsonMap, over: JsonMap, path: string, tagAt: TagAt): JsonMap {
  return mergeMap(asServiceShape(base), asServiceShape(over), '', path, tagAt);
}

function mergeMap(base: JsonMap, over: JsonMap, rel: string, path: string, tagAt: TagAt): JsonMap {
  const out: JsonMap = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const childRel = rel === '' ? key : `${rel}.${key}`;
    const childPath = `${path}.${key}`;
    const tag = tagAt(childPath);
    if (tag === 'reset') {
      delete out[key];
      continue;
    }
    if (tag === 'override' || !(key in out)) {
      out[key] = value;
      continue;
    }
    out[key] = mergeValue(out[key] ?? null, value, childRel, childPath, tagAt);
  }
  return out;
}

function mergeValue(base: Json, over: Json, rel: string, path: string, tagAt: TagAt): Json {
  const separator = AS_MAP[rel];
  if (separator !== undefined)
    return { ...listOrDict(base, separator), ...listOrDict(over, separator) };
  if (
    rel === 'logging' &&
    isMap(base) &&
    isMap(over) &&
    over.driver !== undefined &&
    over.driver !== base.driver
  ) {
    return over;
  }
  if (REPLACED.has(rel)) return over;
  if (isMap(base) && isMap(over)) return mergeMap(base, over, rel, path, tagAt);
  if (Array.isArray(base) && Array.isArray(over)) {
    const keyOf = KEYED[rel];
    if (keyOf) {
      const byKey = new Map<string, Json>();
      for (const item of base) byKey.set(keyOf(item), item);
      for (const item of over) byKey.set(keyOf(item), item);
      return [...byKey.values()];
    }
    const seen = new Set(base.map((item) => JSON.stringify(item)));
    return [...base, ...over.filter((item) => !seen.has(JSON.stringify(item)))];
  }
  return over;
}

/** A top-level section (networks, volumes, secrets, configs): entries merged as mappings. */
export function mergeSection(base: JsonMap, over: JsonMap, path: string, tagAt: TagAt): JsonMap {
  const out: JsonMap = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const childPath = `${path}.${key}`;
    const tag = tagAt(childPath);
    if (tag === 'reset') delete out[key];
    else if (tag === 'override') out[key] = value;
    else {
      const prior = out[key];
      out[key] =
        isMap(prior) && isMap(value) ? mergeMap(prior, value, `~${key}`, childPath, tagAt) : value;
    }
  }
  return out;
}
