import type { ComposeProject, Role, StackPlan } from '@berth/contract';
import { ContainersApi } from '../../../docker/containers-api.js';
import type { EngineHost } from '../../../docker/engine-hosts.js';
import { NetworksApi } from '../../../docker/networks-api.js';
import { VolumesApi } from '../../../docker/volumes-api.js';
import { AppError } from '../../../core/errors.js';
import { networkLabels, STACK_FIELDS, volumeLabels } from '../compose-labels.js';
import { networkFields, volumeFields } from './resource-fields.js';
import { projectNetworks } from './plan.js';

export interface VolumePolicy {
  enforceVolume(
    role: Role,
    host: EngineHost,
    volume: { name: string; driver: string; options?: Record<string, string> },
  ): Promise<void>;
}

/** A plan's conflicts (a missing external network, a secret not from a file) stop it before anything changes. */
export function refuseConflicts(plan: StackPlan): void {
  const conflicts = plan.resources.filter((r) => r.action === 'conflict');
  const [first] = conflicts;
  if (first)
    throw AppError.conflict('stack_conflict', first.message ?? `${first.kind} ${first.name}`, {
      conflicts,
    });
}

/** Volumes whose driver options bind a host path go through the host's policy, as in the UI. */
export async function admitVolumes(
  policy: VolumePolicy,
  role: Role,
  host: EngineHost,
  project: ComposeProject,
  plan: StackPlan,
): Promise<void> {
  for (const volume of Object.values(project.volumes)) {
    const planned = plan.resources.find((r) => r.kind === 'volume' && r.name === volume.name);
    if (planned?.action !== 'create') continue;
    await policy.enforceVolume(role, host, {
      name: volume.name,
      driver: volume.driver ?? 'local',
      ...(volume.driver_opts ? { options: volume.driver_opts } : {}),
    });
  }
}

/** Creates the networks and volumes the plan says to, labelled as the compose CLI labels them. */
export async function createResources(
  host: EngineHost,
  project: ComposeProject,
  plan: StackPlan,
  report: (step: string, message: string) => void,
): Promise<void> {
  const toCreate = (kind: 'network' | 'volume', name: string): boolean =>
    plan.resources.some(
      (r) =>
        r.kind === kind && r.name === name && (r.action === 'create' || r.action === 'recreate'),
    );
  const networks = new NetworksApi(host.client);
  for (const [key, network] of Object.entries(projectNetworks(project))) {
    if (!toCreate('network', network.name)) continue;
    report('creating', `network ${network.name}`);
    const ipam = network.ipam?.config;
    await networks.create({
      Name: network.name,
      Driver: network.driver ?? 'bridge',
      Internal: network.internal ?? false,
      Attachable: network.attachable ?? false,
      CheckDuplicate: true,
      ...(network.enable_ipv6 ? { EnableIPv6: true } : {}),
      ...(ipam || network.ipam?.driver
        ? {
            IPAM: {
              Driver: network.ipam?.driver ?? 'default',
              Config: (ipam ?? []).map((c) => ({
                ...(c.subnet ? { Subnet: c.subnet } : {}),
                ...(c.gateway ? { Gateway: c.gateway } : {}),
                ...(c.ip_range ? { IPRange: c.ip_range } : {}),
              })),
            },
          }
        : {}),
      Labels: {
        ...network.labels,
        ...networkLabels(project.name, key),
        [STACK_FIELDS]: JSON.stringify(networkFields(network)),
      },
      ...(network.driver_opts ? { Options: network.driver_opts } : {}),
    });
  }
  const volumes = new VolumesApi(host.client);
  for (const [key, volume] of Object.entries(project.volumes)) {
    if (!toCreate('volume', volume.name)) continue;
    report('creating', `volume ${volume.name}`);
    await volumes.create({
      Name: volume.name,
      Driver: volume.driver ?? 'local',
      ...(volume.driver_opts ? { DriverOpts: volume.driver_opts } : {}),
      Labels: {
        ...volume.labels,
        ...volumeLabels(project.name, key),
        [STACK_FIELDS]: JSON.stringify(volumeFields(volume)),
      },
    });
  }
}

/**
 * The networks a plan recreates (their definition changed), as the compose CLI does it: every
 * container attached is stopped and removed, then the network; `createResources` makes it
 * anew and the containers are created again on it. A container the plan does not recreate
 * (another stack's, one connected by hand) stops it with a 409 before anything changes.
 * Resolves with the ids of the containers removed.
 */
export async function takeDownRecreatedNetworks(
  host: EngineHost,
  plan: StackPlan,
  report: (step: string, message: string) => void,
): Promise<Set<string>> {
  const names = plan.resources
    .filter((r) => r.kind === 'network' && r.action === 'recreate')
    .map((r) => r.name);
  const removed = new Set<string>();
  if (names.length === 0) return removed;
  // The plan's own containers on it go anyway: those it recreates and those it removes.
  const planned = new Set(
    plan.services.flatMap((s) =>
      s.containers
        .filter((c) => (c.action === 'recreate' || c.action === 'remove') && c.id)
        .map((c) => c.id ?? ''),
    ),
  );
  const networks = new NetworksApi(host.client);
  const found = [];
  for (const name of names) {
    const network = await networks.find(name);
    if (!network) continue;
    const attached = Object.entries(network.Containers ?? {});
    const foreign = attached.filter(([id]) => !planned.has(id)).map(([, c]) => c.Name);
    if (foreign.length > 0)
      throw AppError.conflict(
        'stack_conflict',
        `The network ${name} must be recreated, but ${foreign.join(', ')} ${foreign.length === 1 ? 'uses' : 'use'} it and ${foreign.length === 1 ? 'is' : 'are'} not part of this plan: disconnect ${foreign.length === 1 ? 'it' : 'them'} first`,
        { network: name, containers: foreign },
      );
    found.push({ network, ids: attached.map(([id]) => id) });
  }
  const containers = new ContainersApi(host.client);
  for (const { network, ids } of found) {
    for (const id of ids) {
      if (removed.has(id)) continue;
      report(
        'removing',
        `container ${network.Containers?.[id]?.Name ?? id}: its network ${network.Name} is recreated`,
      );
      const inspect = await containers.find(id);
      if (inspect?.State.Running) await containers.stop(id, inspect.Config.StopTimeout);
      await containers.remove(id, { force: true });
      removed.add(id);
    }
    report('removing', `network ${network.Name}`);
    await networks.remove(network.Id);
  }
  return removed;
}
