import { createHash } from 'node:crypto';
import type { PlannedSwarmObject } from '@berth/contract';
import type { RawNetwork } from '../../docker/engine-types.js';
import type {
  RawNetworkCreate,
  RawSecret,
  RawService,
  RawServiceSpec,
} from '../../docker/swarm-types.js';
import { specChanges } from './spec-diff.js';
import type { SwarmFileObject, SwarmStack } from './stack-to-swarm.js';
import { STACK_DIGEST, STACK_NAMESPACE } from './swarm-labels.js';

/** The namespace's objects and the names they must be told apart from, as the engine has them. */
export interface SwarmSnapshot {
  services: RawService[];
  networks: RawNetwork[];
  secrets: RawSecret[];
  configs: RawSecret[];
}

/** What applying one planned object does on the Engine API. */
export type SwarmStep =
  | { kind: 'network'; op: 'create'; spec: RawNetworkCreate }
  | {
      kind: 'secret' | 'config';
      op: 'create';
      name: string;
      labels: Record<string, string>;
      data: string;
    }
  | { kind: 'service'; op: 'create'; spec: RawServiceSpec }
  | { kind: 'service'; op: 'update'; id: string; version: number; spec: RawServiceSpec }
  | { kind: 'network' | 'secret' | 'config' | 'service'; op: 'remove'; id: string }
  | { kind: 'network' | 'secret' | 'config' | 'service'; op: 'none' };

export interface PlannedStep {
  object: PlannedSwarmObject;
  step: SwarmStep;
}

const sha256 = (base64: string): string =>
  createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');

const inNamespace = (labels: Record<string, string> | null | undefined, ns: string): boolean =>
  labels?.[STACK_NAMESPACE] === ns;

const none = (kind: SwarmStep['kind']): SwarmStep => ({ kind, op: 'none' });

/** Why the engine would refuse a service spec, said before it is sent. */
function refusal(spec: RawServiceSpec): string | undefined {
  if (spec.TaskTemplate.ContainerSpec.Image === '')
    return 'a swarm service needs an image: swarm builds nothing';
  // The engine wants a DNS label: 63 characters at most.
  if (spec.Name.length > 63)
    return `"${spec.Name}" is longer than the 63 characters a service name may have: shorten the stack or service name`;
  return undefined;
}

/** A spec as compared: object ids left out (names say which), network ids as names. */
function comparable(spec: RawServiceSpec, networkNames: Map<string, string>): RawServiceSpec {
  const container = spec.TaskTemplate.ContainerSpec;
  return {
    ...spec,
    TaskTemplate: {
      ...spec.TaskTemplate,
      ContainerSpec: {
        ...container,
        ...(container.Secrets
          ? { Secrets: container.Secrets.map((ref) => ({ ...ref, SecretID: '' })) }
          : {}),
        ...(container.Configs
          ? { Configs: container.Configs.map((ref) => ({ ...ref, ConfigID: '' })) }
          : {}),
      },
      ...(spec.TaskTemplate.Networks
        ? {
            Networks: spec.TaskTemplate.Networks.map((n) => ({
              ...n,
              Target: networkNames.get(n.Target) ?? n.Target,
            })),
          }
        : {}),
    },
  };
}

function planFiles(
  kind: 'secret' | 'config',
  wanted: SwarmFileObject[],
  existing: RawSecret[],
  data: ReadonlyMap<string, string>,
): PlannedStep[] {
  return wanted.map((object): PlannedStep => {
    const found = existing.find((e) => e.Spec.Name === object.name);
    const base = { kind, name: object.name, key: object.key, changes: [] };
    if (object.external)
      return {
        object: found
          ? { ...base, action: 'external' }
          : {
              ...base,
              action: 'conflict',
              message: `external ${kind} "${object.name}" does not exist`,
            },
        step: none(kind),
      };
    const content = data.get(object.name) ?? '';
    const digest = sha256(content);
    if (!found)
      return {
        object: { ...base, action: 'create' },
        step: {
          kind,
          op: 'create',
          name: object.name,
          labels: { ...object.labels, [STACK_DIGEST]: digest },
          data: content,
        },
      };
    const known =
      found.Spec.Data !== undefined ? sha256(found.Spec.Data) : found.Spec.Labels?.[STACK_DIGEST];
    if (known === undefined)
      return {
        object: {
          ...base,
          action: 'unchanged',
          message: 'made outside Berth: its value cannot be read back to compare',
        },
        step: none(kind),
      };
    return known === digest
      ? { object: { ...base, action: 'unchanged' }, step: none(kind) }
      : {
          object: {
            ...base,
            action: 'conflict',
            message: `its file changed, and a ${kind} cannot be changed: give it a new name (name: ${object.name}_v2) or remove the stack first`,
          },
          step: none(kind),
        };
  });
}

/**
 * The plan of a stack deploy: what to create, update (with the fields that differ) or leave,
 * and with `prune`, what of the namespace the files no longer have. Pure: the caller read the
 * engine and the files.
 */
export function planSwarmStack(
  stack: SwarmStack,
  snapshot: SwarmSnapshot,
  data: { secrets: ReadonlyMap<string, string>; configs: ReadonlyMap<string, string> },
  prune: boolean,
): PlannedStep[] {
  const ns = stack.namespace;
  const steps: PlannedStep[] = [];
  for (const net of stack.networks) {
    const found = snapshot.networks.find((n) => n.Name === net.name);
    const base = { kind: 'network' as const, name: net.name, key: net.key, changes: [] };
    if (net.external) {
      steps.push({
        object: found
          ? { ...base, action: 'external' }
          : {
              ...base,
              action: 'conflict',
              message: `external network "${net.name}" does not exist`,
            },
        step: none('network'),
      });
    } else if (!found) {
      steps.push({
        object: { ...base, action: 'create' },
        step: { kind: 'network', op: 'create', spec: net.spec },
      });
    } else if (!inNamespace(found.Labels, ns) || found.Driver !== net.spec.Driver) {
      steps.push({
        object: {
          ...base,
          action: 'conflict',
          message: inNamespace(found.Labels, ns)
            ? `the ${found.Driver} network on the engine is not the ${net.spec.Driver} one of the files: remove the stack first`
            : `a network "${net.name}" exists that is not this stack's`,
        },
        step: none('network'),
      });
    } else steps.push({ object: { ...base, action: 'unchanged' }, step: none('network') });
  }
  steps.push(...planFiles('secret', stack.secrets, snapshot.secrets, data.secrets));
  steps.push(...planFiles('config', stack.configs, snapshot.configs, data.configs));
  const networkNames = new Map(snapshot.networks.map((n) => [n.Id, n.Name]));
  for (const { key, spec } of stack.services) {
    const found = snapshot.services.find((s) => s.Spec.Name === spec.Name);
    const base = { kind: 'service' as const, name: spec.Name, key };
    const refused = refusal(spec);
    if (refused) {
      steps.push({
        object: { ...base, action: 'conflict', changes: [], message: refused },
        step: none('service'),
      });
      continue;
    }
    if (!found) {
      steps.push({
        object: { ...base, action: 'create', changes: [] },
        step: { kind: 'service', op: 'create', spec },
      });
      continue;
    }
    const changes = specChanges(
      comparable(found.Spec, networkNames),
      comparable(spec, networkNames),
    );
    steps.push(
      changes.length === 0
        ? { object: { ...base, action: 'unchanged', changes }, step: none('service') }
        : {
            object: { ...base, action: 'update', changes },
            step: {
              kind: 'service',
              op: 'update',
              id: found.ID,
              version: found.Version.Index,
              spec,
            },
          },
    );
  }
  if (prune) {
    const remove = (kind: 'network' | 'secret' | 'config' | 'service', name: string, id: string) =>
      steps.push({
        object: { kind, name, key: null, action: 'remove', changes: [] },
        step: { kind, op: 'remove', id },
      });
    const wanted = new Set(stack.services.map((s) => s.spec.Name));
    for (const s of snapshot.services)
      if (inNamespace(s.Spec.Labels, ns) && !wanted.has(s.Spec.Name))
        remove('service', s.Spec.Name, s.ID);
    const nets = new Set(stack.networks.map((n) => n.name));
    for (const n of snapshot.networks)
      if (inNamespace(n.Labels, ns) && !nets.has(n.Name)) remove('network', n.Name, n.Id);
    for (const [kind, list, objects] of [
      ['secret', snapshot.secrets, stack.secrets],
      ['config', snapshot.configs, stack.configs],
    ] as const) {
      const names = new Set(objects.map((o) => o.name));
      for (const o of list)
        if (inNamespace(o.Spec.Labels, ns) && !names.has(o.Spec.Name))
          remove(kind, o.Spec.Name, o.ID);
    }
  }
  return steps;
}
