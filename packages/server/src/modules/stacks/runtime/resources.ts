import type { ComposeProject, Role, StackPlan } from '@berth/contract';
import type { EngineHost } from '../../../docker/engine-hosts.js';
import { NetworksApi } from '../../../docker/networks-api.js';
import { VolumesApi } from '../../../docker/volumes-api.js';
import { AppError } from '../../../core/errors.js';
import { networkLabels, volumeLabels } from '../compose-labels.js';
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
    plan.resources.some((r) => r.kind === kind && r.name === name && r.action === 'create');
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
      Labels: { ...network.labels, ...networkLabels(project.name, key) },
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
      Labels: { ...volume.labels, ...volumeLabels(project.name, key) },
    });
  }
}
