import type { ComposeProject, PortMapping, StackPlan } from '@berth/contract';
import type { EngineContainer } from '../../../docker/container-summary.js';
import { COMPOSE_PROJECT } from '../compose-labels.js';

type PlannedResource = StackPlan['resources'][number];

/** A host port some container holds (or will): where, and whose. */
interface HeldPort {
  hostIp: string;
  port: number;
  protocol: string;
  owner: string;
}

const ANY = new Set(['', '0.0.0.0', '::']);
/** Two bindings clash when they are the same port and protocol on an address both cover. */
const clash = (a: HeldPort, b: HeldPort): boolean =>
  a.port === b.port &&
  a.protocol === b.protocol &&
  (a.hostIp === b.hostIp || ANY.has(a.hostIp) || ANY.has(b.hostIp));

const label = (p: HeldPort): string =>
  `${ANY.has(p.hostIp) ? '' : `${p.hostIp}:`}${p.port}/${p.protocol}`;

/** The host ports other running containers hold: outside the project, each once per address. */
export function heldPorts(containers: EngineContainer[], projectName: string): HeldPort[] {
  const held: HeldPort[] = [];
  for (const c of containers) {
    if (c.state !== 'running' || c.labels[COMPOSE_PROJECT] === projectName) continue;
    const project = c.labels[COMPOSE_PROJECT];
    for (const p of c.ports as PortMapping[]) {
      if (p.publicPort === null) continue;
      held.push({
        hostIp: p.hostIp ?? '',
        port: p.publicPort,
        protocol: p.protocol,
        owner: project ? `container ${c.name} (stack ${project})` : `container ${c.name}`,
      });
    }
  }
  return held;
}

/**
 * The host ports the plan's services would bind that cannot all be bound: one fixed port for
 * several replicas, two services on one port, or a port another running container holds. Each
 * is a conflict, so the plan stops before anything changes instead of failing halfway.
 */
export function portConflicts(
  project: ComposeProject,
  plan: Pick<StackPlan, 'services'>,
  held: HeldPort[],
): PlannedResource[] {
  const conflicts = new Map<string, PlannedResource>();
  const conflict = (p: HeldPort, message: string): void => {
    const name = label(p);
    if (!conflicts.has(name))
      conflicts.set(name, { kind: 'port', name, action: 'conflict', message });
  };
  const wanted: HeldPort[] = [];
  for (const planned of plan.services) {
    const service = project.services[planned.service];
    if (!service || planned.action === 'remove') continue;
    for (const port of service.ports) {
      if (port.published === undefined || port.published === '' || port.published.includes('-'))
        continue;
      const binding: HeldPort = {
        hostIp: port.host_ip ?? '',
        port: Number(port.published),
        protocol: port.protocol,
        owner: `service ${planned.service}`,
      };
      if (service.scale > 1)
        conflict(
          binding,
          `service ${planned.service} publishes host port ${label(binding)} for each of its ${service.scale} containers, and only one can bind it: leave the host port out, or run one`,
        );
      const taken = [...wanted, ...held].find((other) => clash(binding, other));
      if (taken)
        conflict(
          binding,
          `service ${planned.service} publishes host port ${label(binding)}, which ${taken.owner} already publishes`,
        );
      wanted.push(binding);
    }
  }
  return [...conflicts.values()];
}
