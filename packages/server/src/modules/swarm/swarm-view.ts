import type {
  HostSwarm,
  NodeUpdate,
  SwarmNode,
  SwarmQuorum,
  SwarmState,
  SwarmView,
} from '@berth/contract';
import { dockerCommand } from '../../core/docker-command.js';
import type { RawNode, RawSwarm, RawSwarmInfo } from '../../docker/swarm-types.js';

const STATES = new Set<SwarmState>(['inactive', 'pending', 'active', 'error', 'locked']);

function stateOf(info: RawSwarmInfo | undefined): SwarmState {
  const state = info?.LocalNodeState as SwarmState | undefined;
  return state && STATES.has(state) ? state : 'inactive';
}

/** A host's membership as `/info` tells it (the cluster ID only a manager knows). */
export function membershipOf(info: RawSwarmInfo | undefined): HostSwarm {
  const state = stateOf(info);
  const inSwarm = state !== 'inactive' && Boolean(info?.NodeID);
  const manager = inSwarm && info?.ControlAvailable === true;
  return {
    state,
    manager,
    clusterId: manager ? (info?.Cluster?.ID ?? null) : null,
    nodeId: inSwarm ? (info?.NodeID ?? null) : null,
    role: inSwarm ? (manager ? 'manager' : 'worker') : null,
  };
}

/**
 * Raft keeps a swarm writable while a majority of its managers is reachable: with m managers
 * it needs floor(m/2)+1, so 1 or 2 managers tolerate no loss and 3 tolerate one.
 */
export function quorumOf(nodes: RawNode[]): SwarmQuorum {
  const managers = nodes.filter((n) => n.Spec.Role === 'manager' && n.ManagerStatus);
  const reachable = managers.filter((n) => n.ManagerStatus?.Reachability === 'reachable').length;
  const needed = Math.floor(managers.length / 2) + 1;
  const canLose = Math.max(0, reachable - needed);
  return {
    managers: managers.length,
    reachable,
    needed,
    canLose,
    warning: quorumWarning(managers.length, reachable, needed, canLose),
  };
}

function quorumWarning(
  managers: number,
  reachable: number,
  needed: number,
  canLose: number,
): string | null {
  if (reachable < needed)
    return `Quorum is lost: ${reachable} of ${managers} managers are reachable and ${needed} are needed. The swarm cannot change until enough managers are back.`;
  if (canLose > 0) return null;
  if (managers === 1)
    return 'This swarm has a single manager: if it is lost, the swarm can no longer be managed. Three managers tolerate the loss of one.';
  return `Losing one more manager would lose quorum: ${reachable} of ${managers} managers are reachable and ${needed} are needed. An odd number (3 or 5) tolerates losses.`;
}

export function swarmViewOf(
  hostId: string,
  info: RawSwarmInfo | undefined,
  cluster: RawSwarm | null,
  nodes: RawNode[] | null,
): SwarmView {
  const membership = membershipOf(info);
  const inSwarm = membership.nodeId !== null;
  return {
    host: hostId,
    state: membership.state,
    error: info?.Error ? info.Error : null,
    manager: membership.manager,
    nodeId: membership.nodeId,
    nodeAddr: inSwarm ? info?.NodeAddr || null : null,
    role: membership.role,
    remoteManagers: (info?.RemoteManagers ?? []).map((m) => ({ nodeId: m.NodeID, addr: m.Addr })),
    cluster: cluster
      ? {
          id: cluster.ID,
          name: cluster.Spec.Name ?? 'default',
          createdAt: cluster.CreatedAt,
          updatedAt: cluster.UpdatedAt,
          defaultAddrPool: cluster.DefaultAddrPool ?? [],
          subnetSize: cluster.SubnetSize ?? null,
          dataPathPort: cluster.DataPathPort ?? null,
        }
      : null,
    nodes: nodes ? nodes.length : (info?.Nodes ?? null),
    managers: nodes
      ? nodes.filter((n) => n.Spec.Role === 'manager').length
      : (info?.Managers ?? null),
    quorum: nodes ? quorumOf(nodes) : null,
  };
}

export function nodeViewOf(node: RawNode, selfId: string | null, tasksRunning: number): SwarmNode {
  return {
    id: node.ID,
    version: node.Version.Index,
    hostname: node.Description.Hostname,
    role: node.Spec.Role,
    availability: node.Spec.Availability,
    status: node.Status.State,
    message: node.Status.Message || null,
    addr: node.Status.Addr,
    leader: node.ManagerStatus?.Leader === true,
    reachability: node.ManagerStatus?.Reachability ?? null,
    managerAddr: node.ManagerStatus?.Addr ?? null,
    engineVersion: node.Description.Engine.EngineVersion,
    platform: {
      os: node.Description.Platform.OS,
      architecture: node.Description.Platform.Architecture,
    },
    resources: {
      nanoCpus: node.Description.Resources.NanoCPUs,
      memoryBytes: node.Description.Resources.MemoryBytes,
    },
    labels: node.Spec.Labels ?? {},
    engineLabels: node.Description.Engine.Labels ?? {},
    tasksRunning,
    self: node.ID === selfId,
    createdAt: node.CreatedAt,
    updatedAt: node.UpdatedAt,
  };
}

/** The `docker node …` command equal to a change: promote/demote alone, else `node update`. */
export function nodeUpdateCommand(node: RawNode, change: NodeUpdate): string {
  const target = node.Description.Hostname || node.ID;
  const roleChanged = change.role !== undefined && change.role !== node.Spec.Role;
  const availabilityChanged =
    change.availability !== undefined && change.availability !== node.Spec.Availability;
  const before = node.Spec.Labels ?? {};
  const after = change.labels;
  const added = after
    ? Object.entries(after).filter(([k, v]) => before[k] !== v)
    : ([] as [string, string][]);
  const removed = after ? Object.keys(before).filter((k) => !(k in after)) : [];
  if (roleChanged && !availabilityChanged && added.length === 0 && removed.length === 0)
    return dockerCommand('node', change.role === 'manager' ? 'promote' : 'demote', target);
  const flags: string[] = [];
  if (roleChanged && change.role) flags.push('--role', change.role);
  if (availabilityChanged && change.availability) flags.push('--availability', change.availability);
  for (const [k, v] of added) flags.push('--label-add', `${k}=${v}`);
  for (const k of removed) flags.push('--label-rm', k);
  return dockerCommand('node', 'update', ...flags, target);
}
