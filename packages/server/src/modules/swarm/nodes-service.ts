import type { NodeChanged, NodeList, NodeUpdate, SwarmNode } from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { dockerCommand } from '../../core/docker-command.js';
import { filtersParam } from '../../docker/engine-client.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import type { RawNode, RawNodeSpec, RawSwarmInfo, RawTask } from '../../docker/swarm-types.js';
import { requireHost } from '../hosts/require-host.js';
import { swarmCall } from './swarm-errors.js';
import type { SwarmMembership } from './swarm-membership.js';
import { nodeUpdateCommand, nodeViewOf } from './swarm-view.js';

/** The nodes of the swarm a manager host is in: list, inspect, change, remove. */
export class NodesService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly membership: SwarmMembership,
  ) {}

  async list(hostId: string): Promise<NodeList> {
    const host = requireHost(this.hosts, hostId);
    const [nodes, running, self] = await Promise.all([
      swarmCall(host.id, () => host.client.request<RawNode[]>('GET', '/nodes')),
      this.runningTasks(host),
      this.selfId(host),
    ]);
    return {
      nodes: nodes
        .map((n) => nodeViewOf(n, self, running.get(n.ID) ?? 0))
        .sort(
          (a, b) =>
            Number(b.role === 'manager') - Number(a.role === 'manager') ||
            a.hostname.localeCompare(b.hostname),
        ),
    };
  }

  async get(
    hostId: string,
    ref: string,
  ): Promise<SwarmNode & { inspect: Record<string, unknown> }> {
    const host = requireHost(this.hosts, hostId);
    const node = await this.inspect(host, ref);
    return { ...(await this.viewOf(host, node)), inspect: { ...node } };
  }

  private async view(host: EngineHost, ref: string): Promise<SwarmNode> {
    return this.viewOf(host, await this.inspect(host, ref));
  }

  private async viewOf(host: EngineHost, node: RawNode): Promise<SwarmNode> {
    const [running, self] = await Promise.all([this.runningTasks(host), this.selfId(host)]);
    return nodeViewOf(node, self, running.get(node.ID) ?? 0);
  }

  async update(hostId: string, ref: string, change: NodeUpdate): Promise<NodeChanged> {
    const host = requireHost(this.hosts, hostId);
    const node = await this.inspect(host, ref);
    if (node.Version.Index !== change.version)
      throw AppError.conflict(
        'stale_version',
        `Node ${node.Description.Hostname} changed since it was read (version ${change.version}, now ${node.Version.Index}): read it again and retry`,
        { current: node.Version.Index },
      );
    const spec: RawNodeSpec = {
      ...node.Spec,
      ...(change.role ? { Role: change.role } : {}),
      ...(change.availability ? { Availability: change.availability } : {}),
      ...(change.labels ? { Labels: change.labels } : {}),
    };
    await swarmCall(
      host.id,
      () =>
        host.client.request('POST', `/nodes/${encodeURIComponent(node.ID)}/update`, {
          query: { version: change.version },
          body: spec,
        }),
      'node',
    );
    const cli = nodeUpdateCommand(node, change);
    await this.membership.refresh(host);
    return { node: await this.view(host, node.ID), cli };
  }

  async remove(hostId: string, ref: string, force: boolean): Promise<{ ok: true; cli: string }> {
    const host = requireHost(this.hosts, hostId);
    const node = await this.inspect(host, ref);
    await swarmCall(
      host.id,
      () =>
        host.client.request('DELETE', `/nodes/${encodeURIComponent(node.ID)}`, {
          query: { force },
        }),
      'node',
    );
    await this.membership.refresh(host);
    return {
      ok: true,
      cli: dockerCommand(
        'node',
        'rm',
        force ? '--force' : undefined,
        node.Description.Hostname || node.ID,
      ),
    };
  }

  private inspect(host: EngineHost, ref: string): Promise<RawNode> {
    return swarmCall(
      host.id,
      () => host.client.request<RawNode>('GET', `/nodes/${encodeURIComponent(ref)}`),
      'node',
    );
  }

  /** Running tasks per node: one call for the whole swarm. */
  private async runningTasks(host: EngineHost): Promise<Map<string, number>> {
    const tasks = await swarmCall(host.id, () =>
      host.client.request<RawTask[]>('GET', '/tasks', {
        query: { filters: filtersParam({ 'desired-state': ['running'] }) },
      }),
    );
    const counts = new Map<string, number>();
    for (const task of tasks)
      if (task.NodeID && task.Status.State === 'running')
        counts.set(task.NodeID, (counts.get(task.NodeID) ?? 0) + 1);
    return counts;
  }

  private async selfId(host: EngineHost): Promise<string | null> {
    const known = this.membership.of(host.id)?.nodeId;
    if (known) return known;
    const info = await host.client.request<{ Swarm?: RawSwarmInfo }>('GET', '/info');
    return info.Swarm?.NodeID || null;
  }
}
