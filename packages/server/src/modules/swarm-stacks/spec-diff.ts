import type { SwarmSpecChange } from '@berth/contract';
import type { RawServiceSpec } from '../../docker/swarm-types.js';

type Leaves = Map<string, string>;

/** Lists keyed by a field of their items rather than by position (an insert is one change). */
const KEYED: Record<string, (item: unknown) => string | undefined> = {
  'TaskTemplate.Networks': (n) => (n as { Target?: string }).Target,
  'TaskTemplate.ContainerSpec.Mounts': (m) => (m as { Target?: string }).Target,
  'TaskTemplate.ContainerSpec.Secrets': (s) => (s as { File?: { Name?: string } }).File?.Name,
  'TaskTemplate.ContainerSpec.Configs': (s) => (s as { File?: { Name?: string } }).File?.Name,
  'EndpointSpec.Ports': (p) => {
    const port = p as { TargetPort?: number; Protocol?: string; PublishedPort?: number };
    return `${port.PublishedPort ?? ''}:${port.TargetPort}/${port.Protocol ?? 'tcp'}`;
  },
};

const ENV = 'TaskTemplate.ContainerSpec.Env';

/** What the engine adds to a spec by itself (never sent by a stack deploy): not a change. */
const ENGINE_DEFAULTS: Record<string, string> = {
  'TaskTemplate.Runtime': '"container"',
  'TaskTemplate.ContainerSpec.Isolation': '"default"',
  'EndpointSpec.Mode': '"vip"',
  'UpdateConfig.FailureAction': '"pause"',
  'UpdateConfig.Order': '"stop-first"',
  'RollbackConfig.FailureAction': '"pause"',
  'RollbackConfig.Order': '"stop-first"',
};

function flatten(value: unknown, path: string, out: Leaves): void {
  if (value === undefined || value === null) return;
  if (path === ENV && Array.isArray(value)) {
    for (const entry of value as string[]) {
      const eq = entry.indexOf('=');
      out.set(`${ENV}.${eq < 0 ? entry : entry.slice(0, eq)}`, JSON.stringify(entry));
    }
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return;
    const keyOf = KEYED[path];
    if (keyOf || value.some((v) => typeof v === 'object' && v !== null)) {
      value.forEach((item, i) => flatten(item, `${path}[${keyOf?.(item) ?? i}]`, out));
    } else out.set(path, JSON.stringify(value));
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, path === '' ? k : `${path}.${k}`, out);
    return;
  }
  // The engine answers Go's zero values (0, false, "") where nothing was set: the same as unset.
  if (value === 0 || value === false || value === '') return;
  out.set(path, JSON.stringify(value));
}

/**
 * The fields of a service's spec that differ between the engine's and the files': one per leaf
 * (labels, environment variables and list items by key). Environment values are left out of
 * what is shown: they may hold secrets.
 */
export function specChanges(current: RawServiceSpec, desired: RawServiceSpec): SwarmSpecChange[] {
  const before: Leaves = new Map();
  const after: Leaves = new Map();
  flatten(current, '', before);
  flatten(desired, '', after);
  for (const [path, value] of Object.entries(ENGINE_DEFAULTS))
    if (before.get(path) === value && !after.has(path)) before.delete(path);
  const changes: SwarmSpecChange[] = [];
  for (const field of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const a = before.get(field) ?? null;
    const b = after.get(field) ?? null;
    if (a === b) continue;
    const hidden = field.startsWith(`${ENV}.`);
    changes.push({
      field,
      before: hidden && a !== null ? '(set)' : a,
      after: hidden && b !== null ? '(set)' : b,
    });
  }
  return changes;
}
