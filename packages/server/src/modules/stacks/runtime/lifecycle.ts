import type { ComposeProject } from '@berth/contract';
import { errorMessage } from '../../../core/errors.js';
import { ContainersApi } from '../../../docker/containers-api.js';
import type { EngineHost } from '../../../docker/engine-hosts.js';
import { NetworksApi } from '../../../docker/networks-api.js';
import { VolumesApi } from '../../../docker/volumes-api.js';
import { COMPOSE_PROJECT, parseDependsOn, projectFilter } from '../compose-labels.js';
import type { ServiceOutcome, StackOutcome } from '../stack-ports.js';
import type { Emit } from './apply.js';
import { buildImage, pullImage, type RegistryCredentials } from './images.js';
import { readLiveState, type LiveContainer } from './live-state.js';
import { dependencyOrder } from './plan.js';
import { serviceImage } from './service-spec.js';

/** The services of live containers in dependency order, from their depends_on labels. */
function labelOrder(containers: LiveContainer[]): string[] {
  const deps = new Map<string, string[]>();
  for (const c of containers)
    deps.set(
      c.service,
      parseDependsOn(c.dependsOn).map((d) => d.service),
    );
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (service: string): void => {
    if (seen.has(service)) return;
    seen.add(service);
    for (const dep of deps.get(service) ?? []) if (deps.has(dep)) visit(dep);
    order.push(service);
  };
  for (const service of [...deps.keys()].sort()) visit(service);
  return order;
}

function outcome(services: ServiceOutcome[]): StackOutcome {
  return { ok: services.every((s) => s.status !== 'failed'), services };
}

/** Runs `act` on each service's containers (in parallel within a service), one service at a time. */
async function eachService(
  order: string[],
  containers: LiveContainer[],
  act: (c: LiveContainer) => Promise<void>,
): Promise<ServiceOutcome[]> {
  const results: ServiceOutcome[] = [];
  for (const service of order) {
    try {
      await Promise.all(containers.filter((c) => c.service === service).map(act));
      results.push({ service, status: 'done' });
    } catch (err) {
      results.push({ service, status: 'failed', message: errorMessage(err) });
    }
  }
  return results;
}

/** Removes the project's containers and networks by label, dependents first; its volumes when asked. */
export async function downProject(
  host: EngineHost,
  projectName: string,
  removeVolumes: boolean,
  emit: Emit,
): Promise<StackOutcome> {
  const api = new ContainersApi(host.client);
  const live = await readLiveState(host.client, projectName);
  const order = labelOrder(live.containers).reverse();
  const services = await eachService(order, live.containers, async (c) => {
    emit(c.service, c.name, 'stopping', null);
    if (c.state === 'running') await api.stop(c.id);
    emit(c.service, c.name, 'removing', null);
    await api.remove(c.id, { force: true, volumes: true });
  });
  // Each network and volume on its own: one still in use is reported, the others still go.
  const failures: string[] = [];
  const attempt = async (what: string, remove: () => Promise<void>): Promise<void> => {
    emit(null, null, 'removing', what);
    await remove().catch((err: unknown) => failures.push(`${what}: ${errorMessage(err)}`));
  };
  const networks = new NetworksApi(host.client);
  for (const network of await host.client.listNetworks(projectFilter(projectName)))
    await attempt(`network ${network.Name}`, () => networks.remove(network.Id));
  if (removeVolumes) {
    const volumes = new VolumesApi(host.client);
    for (const volume of await host.client.listVolumes())
      if (volume.Labels?.[COMPOSE_PROJECT] === projectName)
        await attempt(`volume ${volume.Name}`, () => volumes.remove(volume.Name, false));
  }
  if (failures.length > 0) {
    emit(null, null, 'failed', failures.join('; '));
    return { ok: false, services };
  }
  emit(null, null, 'done', null);
  return outcome(services);
}

/** start, stop or restart a project's containers: in dependency order, stop in reverse. */
export async function controlProject(
  host: EngineHost,
  project: ComposeProject | string,
  operation: 'start' | 'stop' | 'restart',
  only: string[] | undefined,
  emit: Emit,
): Promise<StackOutcome> {
  const name = typeof project === 'string' ? project : project.name;
  const api = new ContainersApi(host.client);
  const live = await readLiveState(host.client, name);
  let order = typeof project === 'string' ? labelOrder(live.containers) : dependencyOrder(project);
  order = order.filter((s) =>
    only ? only.includes(s) : live.containers.some((c) => c.service === s),
  );
  if (operation === 'stop') order.reverse();
  const services = await eachService(order, live.containers, async (c) => {
    if (operation === 'start') {
      if (c.state === 'running') return;
      emit(c.service, c.name, 'starting', null);
      await api.start(c.id);
    } else if (operation === 'stop') {
      if (c.state !== 'running') return;
      emit(c.service, c.name, 'stopping', null);
      await api.stop(c.id);
    } else {
      emit(c.service, c.name, 'starting', 'restarting');
      await api.restart(c.id);
    }
  });
  emit(null, null, 'done', null);
  return outcome(services);
}

/** Pulls (or, for a service with a build, builds) every service's image. */
export async function pullProject(
  host: EngineHost,
  project: ComposeProject,
  registries: RegistryCredentials,
  emit: Emit,
): Promise<StackOutcome> {
  const services: ServiceOutcome[] = [];
  for (const [name, service] of Object.entries(project.services)) {
    const image = serviceImage(project, name, service);
    const report = (step: string, message: string): void => emit(name, null, step, message);
    const failure = service.build
      ? await buildImage(host, image, service.build, registries, report)
      : await pullImage(host, image, registries, report);
    services.push(
      failure
        ? { service: name, status: 'failed', message: failure }
        : { service: name, status: 'done' },
    );
    emit(name, null, failure ? 'failed' : 'done', failure);
  }
  return outcome(services);
}
