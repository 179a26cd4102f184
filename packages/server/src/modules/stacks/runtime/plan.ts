import type { ComposeProject, PlannedService, StackPlan } from '@berth/contract';
import type { PlanDraft } from '../stack-ports.js';
import { invalid } from './compose-values.js';
import {
  fingerprintOf,
  type LiveContainer,
  type LiveResource,
  type LiveState,
} from './live-state.js';
import { changedResourceFields, networkFields, volumeFields } from './resource-fields.js';
import { changedFields, type ContentSeal } from './service-fields.js';
import { desiredContainers, serviceImage } from './service-spec.js';

type Action = PlannedService['action'];
type PlannedContainer = PlannedService['containers'][number];
type PlannedResource = StackPlan['resources'][number];

/** Which action of a service's containers names the service's: the first found in this order. */
const STRENGTH: readonly Action[] = ['recreate', 'create', 'remove', 'start', 'unchanged'];

/**
 * The services in dependency order (dependencies first), ties by name. A cycle, or a required
 * dependency that is not a service, is a 400 naming the service.
 */
export function dependencyOrder(project: ComposeProject): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting')
      throw invalid(
        `services.${name}.depends_on`,
        `a dependency cycle: ${[...path, name].join(' → ')}`,
      );
    state.set(name, 'visiting');
    const service = project.services[name];
    for (const [dep, options] of Object.entries(service?.depends_on ?? {}).sort()) {
      if (project.services[dep]) visit(dep, [...path, name]);
      else if (options.required && !project.disabled_services.includes(dep))
        throw invalid(
          `services.${name}.depends_on.${dep}`,
          `"${dep}" is not a service of the project`,
        );
    }
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of Object.keys(project.services).sort()) visit(name, []);
  return order;
}

/** A one-shot that ran to success stays as it is: `up` does not run it again. */
function completed(container: LiveContainer, restart: string | undefined): boolean {
  return container.state === 'exited' && container.exitCode === 0 && (restart ?? 'no') === 'no';
}

function planService(
  project: ComposeProject,
  name: string,
  live: LiveState,
  recreatedNetworks: Set<string>,
  seal: ContentSeal,
): PlannedService {
  const service = project.services[name];
  if (!service) throw invalid(`services.${name}`, 'no such service');
  const networks = projectNetworks(project);
  // A network made again takes its containers with it, as with the compose CLI.
  const networkChanges =
    service.network_mode === undefined
      ? Object.keys(service.networks ?? { default: null })
          .filter((key) => {
            const network = networks[key];
            return network !== undefined && recreatedNetworks.has(network.name);
          })
          .map((key) => `networks.${key}`)
      : [];
  const image = serviceImage(project, name, service);
  const imageId = live.images[image] ?? null;
  const mine = live.containers.filter((c) => c.service === name);
  const containers: PlannedContainer[] = [];
  const taken = new Set<string>();
  for (const desired of desiredContainers(project, name, seal)) {
    const current = mine.find((c) => c.number === desired.number && !taken.has(c.id));
    if (!current) {
      containers.push({ name: desired.name, action: 'create', changes: [] });
      continue;
    }
    taken.add(current.id);
    const changes =
      current.hash === desired.hash ? [] : changedFields(current.fields, desired.fields);
    if (imageId !== null && current.imageId !== imageId) changes.push('image');
    if (current.name !== desired.name && !changes.includes('container_name'))
      changes.push('container_name');
    changes.push(...networkChanges);
    const action: Action =
      changes.length > 0
        ? 'recreate'
        : current.state === 'running' ||
            current.state === 'paused' ||
            completed(current, service.restart)
          ? 'unchanged'
          : 'start';
    containers.push({ name: desired.name, id: current.id, action, changes: [...new Set(changes)] });
  }
  for (const extra of mine.filter((c) => !taken.has(c.id)))
    containers.push({ name: extra.name, id: extra.id, action: 'remove', changes: [] });
  const action = STRENGTH.find((a) => containers.some((c) => c.action === a)) ?? 'unchanged';
  const build =
    service.build !== undefined && (imageId === null || service.pull_policy === 'build');
  const pull = !build && (imageId === null || service.pull_policy === 'always');
  return {
    service: name,
    action,
    changes: [...new Set(containers.flatMap((c) => c.changes))].sort(),
    containers,
    image: build ? 'build' : pull && service.pull_policy !== 'never' ? 'pull' : 'present',
  };
}

function planResource(
  kind: 'network' | 'volume',
  name: string,
  external: boolean,
  project: string,
  found: LiveResource | undefined,
  fields: Record<string, string>,
): PlannedResource {
  if (external)
    return found
      ? { kind, name, action: 'external' }
      : { kind, name, action: 'conflict', message: `The external ${kind} ${name} does not exist` };
  if (!found) return { kind, name, action: 'create' };
  if (found.project === project) {
    const changes = changedResourceFields(found.fields, fields);
    if (changes.length === 0) return { kind, name, action: 'unchanged' };
    if (kind === 'network')
      return {
        kind,
        name,
        action: 'recreate',
        changes,
        message: `changed: ${changes.join(', ')}; its containers are recreated with it`,
      };
    return {
      kind,
      name,
      action: 'conflict',
      changes,
      message: `The volume ${name} was made with another ${changes.join(', ')}; Berth never recreates a volume (its data): change the files back, or remove the volume`,
    };
  }
  return {
    kind,
    name,
    action: 'unchanged',
    message: `The ${kind} ${name} exists and was not made by this stack; it is used as it is`,
  };
}

/** The networks a project's services attach to, by key: its own, and `default` when used. */
export function projectNetworks(
  project: ComposeProject,
): Record<string, ComposeProject['networks'][string]> {
  const networks = { ...project.networks };
  const usesDefault = Object.values(project.services).some(
    (s) => s.network_mode === undefined && (s.networks === undefined || 'default' in s.networks),
  );
  if (usesDefault) networks.default ??= { name: `${project.name}_default` };
  return networks;
}

function planResources(project: ComposeProject, live: LiveState): PlannedResource[] {
  const resources: PlannedResource[] = [];
  for (const network of Object.values(projectNetworks(project)))
    resources.push(
      planResource(
        'network',
        network.name,
        network.external === true,
        project.name,
        live.networks.find((n) => n.name === network.name),
        networkFields(network),
      ),
    );
  for (const volume of Object.values(project.volumes))
    resources.push(
      planResource(
        'volume',
        volume.name,
        volume.external === true,
        project.name,
        live.volumes.find((v) => v.name === volume.name),
        volumeFields(volume),
      ),
    );
  for (const kind of ['secret', 'config'] as const)
    for (const [key, object] of Object.entries(project[`${kind}s`]))
      resources.push(
        object.file !== undefined || object.content !== undefined
          ? { kind, name: key, action: 'unchanged' }
          : {
              kind,
              name: key,
              action: 'conflict',
              message: `${kind}s.${key}: an external ${kind} needs swarm; use a file, an environment variable or content`,
            },
      );
  return resources;
}

/**
 * Desired (the project) against actual (the engine): an action per container, service and
 * resource. Pure: the same inputs give the same plan. Orphans (containers of services no
 * longer in the files, nor left out by a profile) come last, to be removed.
 */
export function planStack(
  hostId: string,
  project: ComposeProject,
  live: LiveState,
  seal: ContentSeal,
): PlanDraft {
  const resources = planResources(project, live);
  const recreated = new Set(
    resources.filter((r) => r.kind === 'network' && r.action === 'recreate').map((r) => r.name),
  );
  const services = dependencyOrder(project).map((name) =>
    planService(project, name, live, recreated, seal),
  );
  const known = new Set([...Object.keys(project.services), ...project.disabled_services]);
  const orphans = [...new Set(live.containers.map((c) => c.service))]
    .filter((s) => !known.has(s))
    .sort();
  for (const service of orphans)
    services.push({
      service,
      action: 'remove',
      changes: [],
      image: 'present',
      containers: live.containers
        .filter((c) => c.service === service)
        .map((c) => ({ name: c.name, id: c.id, action: 'remove' as const, changes: [] })),
    });
  const unchanged =
    services.every((s) => s.action === 'unchanged' && s.image === 'present') &&
    resources.every((r) => r.action !== 'create' && r.action !== 'recreate');
  return {
    plan: { host: hostId, stack: project.name, resources, services, unchanged },
    fingerprint: fingerprintOf(project, live),
  };
}
