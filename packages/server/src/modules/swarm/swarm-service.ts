import type {
  JoinTokens,
  NodeRole,
  SwarmChanged,
  SwarmCluster,
  SwarmInit,
  SwarmJoin,
  SwarmView,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { dockerCommand } from '../../core/docker-command.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import type { RawNode, RawSwarm, RawSwarmInfo } from '../../docker/swarm-types.js';
import { requireHost } from '../hosts/require-host.js';
import { swarmCall } from './swarm-errors.js';
import type { SwarmMembership } from './swarm-membership.js';
import { swarmViewOf } from './swarm-view.js';

/** A host's swarm: inspect, init, join, leave, and the join tokens (never in the inspect). */
export class SwarmService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly membership: SwarmMembership,
  ) {}

  async get(hostId: string): Promise<SwarmView> {
    const host = requireHost(this.hosts, hostId);
    const info = await this.info(host);
    if (info?.ControlAvailable !== true) return swarmViewOf(host.id, info, null, null);
    const [cluster, nodes] = await Promise.all([
      swarmCall(host.id, () => host.client.request<RawSwarm>('GET', '/swarm')),
      swarmCall(host.id, () => host.client.request<RawNode[]>('GET', '/nodes')),
    ]);
    return swarmViewOf(host.id, info, cluster, nodes);
  }

  async init(hostId: string, input: SwarmInit): Promise<SwarmChanged> {
    const host = requireHost(this.hosts, hostId);
    await swarmCall(host.id, () =>
      host.client.request<string>('POST', '/swarm/init', {
        body: {
          ListenAddr: input.listenAddr,
          AdvertiseAddr: input.advertiseAddr,
          ...(input.defaultAddrPool ? { DefaultAddrPool: input.defaultAddrPool } : {}),
          ...(input.subnetSize ? { SubnetSize: input.subnetSize } : {}),
        },
      }),
    );
    const cli = dockerCommand(
      'swarm',
      'init',
      '--advertise-addr',
      input.advertiseAddr,
      ...(input.listenAddr !== '0.0.0.0:2377' ? ['--listen-addr', input.listenAddr] : []),
      ...(input.defaultAddrPool ?? []).flatMap((pool) => ['--default-addr-pool', pool]),
      ...(input.subnetSize ? ['--default-addr-pool-mask-length', input.subnetSize] : []),
    );
    return this.changed(host, cli);
  }

  async join(hostId: string, input: SwarmJoin): Promise<SwarmChanged> {
    const host = requireHost(this.hosts, hostId);
    await swarmCall(host.id, () =>
      host.client.request('POST', '/swarm/join', {
        body: {
          ListenAddr: input.listenAddr,
          RemoteAddrs: input.remoteAddrs,
          JoinToken: input.joinToken,
          ...(input.advertiseAddr ? { AdvertiseAddr: input.advertiseAddr } : {}),
        },
        timeoutMs: 60_000,
      }),
    );
    const cli = dockerCommand(
      'swarm',
      'join',
      '--token',
      input.joinToken,
      ...(input.advertiseAddr ? ['--advertise-addr', input.advertiseAddr] : []),
      ...input.remoteAddrs,
    );
    return this.changed(host, cli);
  }

  async leave(hostId: string, force: boolean): Promise<SwarmChanged> {
    const host = requireHost(this.hosts, hostId);
    await swarmCall(host.id, () =>
      host.client.request('POST', '/swarm/leave', { query: { force }, timeoutMs: 60_000 }),
    );
    return this.changed(host, dockerCommand('swarm', 'leave', force ? '--force' : undefined));
  }

  async joinTokens(hostId: string): Promise<JoinTokens> {
    const host = requireHost(this.hosts, hostId);
    const swarm = await swarmCall(host.id, () => host.client.request<RawSwarm>('GET', '/swarm'));
    return this.tokensOf(host, swarm);
  }

  async rotate(hostId: string, role: NodeRole): Promise<{ tokens: JoinTokens; cli: string }> {
    const host = requireHost(this.hosts, hostId);
    const swarm = await swarmCall(host.id, () => host.client.request<RawSwarm>('GET', '/swarm'));
    await swarmCall(host.id, () =>
      host.client.request('POST', '/swarm/update', {
        query: {
          version: swarm.Version.Index,
          rotateWorkerToken: role === 'worker',
          rotateManagerToken: role === 'manager',
        },
        body: swarm.Spec,
      }),
    );
    const after = await swarmCall(host.id, () => host.client.request<RawSwarm>('GET', '/swarm'));
    return {
      tokens: await this.tokensOf(host, after),
      cli: dockerCommand('swarm', 'join-token', '--rotate', role),
    };
  }

  /** Each swarm once: the manager hosts the caller sees, grouped by cluster ID. */
  clusters(visible: (hostId: string) => boolean): SwarmCluster[] {
    const byId = new Map<string, SwarmCluster>();
    for (const host of this.hosts.list()) {
      if (!visible(host.id)) continue;
      const snapshot = this.membership.snapshot(host.id);
      const m = snapshot?.membership;
      if (!snapshot || !m?.clusterId || !m.nodeId || !m.role) continue;
      const cluster = byId.get(m.clusterId) ?? {
        clusterId: m.clusterId,
        name: snapshot.clusterName ?? 'default',
        hosts: [],
        nodes: snapshot.nodes,
        managers: snapshot.managers,
        quorum: snapshot.quorum,
      };
      cluster.hosts.push({ host: host.id, nodeId: m.nodeId, role: m.role });
      byId.set(m.clusterId, cluster);
    }
    return [...byId.values()].sort((a, b) => a.clusterId.localeCompare(b.clusterId));
  }

  private async info(host: EngineHost): Promise<RawSwarmInfo | undefined> {
    return (await host.client.request<{ Swarm?: RawSwarmInfo }>('GET', '/info')).Swarm;
  }

  private async tokensOf(host: EngineHost, swarm: RawSwarm): Promise<JoinTokens> {
    const info = await this.info(host);
    const managerAddrs = (info?.RemoteManagers ?? []).map((m) => m.Addr);
    if (!swarm.JoinTokens.Worker)
      throw AppError.conflict('not_swarm_manager', `Host "${host.id}" shows no join tokens`);
    const command = (token: string) =>
      dockerCommand('swarm', 'join', '--token', token, ...managerAddrs.slice(0, 1));
    return {
      worker: swarm.JoinTokens.Worker,
      manager: swarm.JoinTokens.Manager,
      managerAddrs,
      commands: {
        worker: command(swarm.JoinTokens.Worker),
        manager: command(swarm.JoinTokens.Manager),
      },
    };
  }

  /** After a change of membership: stored and pushed at once (read your writes), then the view. */
  private async changed(host: EngineHost, cli: string): Promise<SwarmChanged> {
    await this.membership.refresh(host);
    return { swarm: await this.get(host.id), cli };
  }
}
