import { labelFlags, matchesLabel } from '../../docker/label-filter.js';
import type {
  HardwareProfileName,
  NetworkCreate,
  NetworkList,
  NetworkSummary,
  PruneResult,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import { ContainersApi } from '../../docker/containers-api.js';
import { dockerCommand } from '../../core/docker-command.js';
import type { EngineHost, EngineHosts } from '../../docker/engine-hosts.js';
import type { RawNetwork } from '../../docker/engine-types.js';
import { NetworksApi, type RawNetworkInspect } from '../../docker/networks-api.js';
import type { HostHardware } from '../hosts/host-hardware.js';
import { requireHost } from '../hosts/require-host.js';
import {
  cidrsOverlap,
  findFreeSubnet,
  oversized,
  parseCidr,
  suggestPrefix,
  usableHosts,
} from './ipv4.js';
import type { ReservationsRepository } from './reservations-repository.js';
import { servicesOnNetworks, type ServicesOnNetworks } from './network-services.js';
import { buildTopology, networkDocument, type Topology, type TopologyInput } from './topology.js';

const BUILT_IN = new Set(['bridge', 'host', 'none']);

/** Networks with IPAM: list, create (sized, never overlapping), remove, prune, topology. */
export class NetworksService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly reservations: ReservationsRepository,
    private readonly hardware: HostHardware,
  ) {}

  async list(hostId: string): Promise<NetworkList> {
    const host = requireHost(this.hosts, hostId);
    const profile = await this.profile(host);
    const reserved = await this.reservations.forHost(hostId);
    const onNetworks = await servicesOnNetworks(host);
    const networks = host.state
      .networks()
      .map((n) =>
        this.summary(
          host,
          n,
          profile,
          reserved.filter((r) => r.networkId === n.Id),
          onNetworks,
        ),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
    return { networks, stale: host.state.staleness() };
  }

  async get(
    hostId: string,
    ref: string,
  ): Promise<NetworkSummary & { inspect: Record<string, unknown> }> {
    const { host, network } = await this.resolve(hostId, ref);
    const reserved = await this.reservations.forNetwork(hostId, network.Id);
    return {
      ...this.summary(
        host,
        network,
        await this.profile(host),
        reserved,
        await servicesOnNetworks(host),
      ),
      inspect: { ...network },
    };
  }

  async create(hostId: string, input: NetworkCreate): Promise<NetworkSummary & { cli: string }> {
    const host = requireHost(this.hosts, hostId);
    if (input.encrypted && input.driver !== 'overlay')
      throw AppError.badRequest(
        'validation_failed',
        'Invalid request: body.encrypted: only an overlay network can be encrypted',
        {
          issues: [
            { field: 'body.encrypted', message: 'only an overlay network can be encrypted' },
          ],
        },
      );
    if (host.state.networks().some((n) => n.Name === input.name)) {
      throw AppError.conflict(
        'network_exists',
        `A network named "${input.name}" exists on ${hostId}`,
      );
    }
    const taken = this.takenSubnets(host);
    let subnet = input.subnet;
    if (subnet) {
      try {
        parseCidr(subnet);
      } catch (err) {
        throw AppError.badRequest(
          'validation_failed',
          `Invalid request: body.subnet: ${err instanceof Error ? err.message : String(err)}`,
          {
            issues: [
              { field: 'body.subnet', message: err instanceof Error ? err.message : String(err) },
            ],
          },
        );
      }
      const clash = taken.find((t) => cidrsOverlap(t.subnet, subnet ?? ''));
      if (clash) {
        throw AppError.conflict(
          'subnet_overlap',
          `${subnet} overlaps ${clash.subnet} of network ${clash.network}`,
          { overlaps: clash },
        );
      }
    } else if (input.expectedContainers !== undefined && input.driver !== 'overlay') {
      const prefix = suggestPrefix(input.expectedContainers, await this.profile(host));
      subnet =
        findFreeSubnet(
          prefix,
          taken.map((t) => t.subnet),
        ) ?? undefined;
      if (!subnet)
        throw AppError.conflict(
          'no_free_subnet',
          `No free /${prefix} range is left in the private address pools`,
        );
    }
    const ipam = subnet
      ? {
          Driver: 'default',
          Config: [
            {
              Subnet: subnet,
              ...(input.gateway ? { Gateway: input.gateway } : {}),
              ...(input.ipRange ? { IPRange: input.ipRange } : {}),
              ...(input.auxAddresses ? { AuxiliaryAddresses: input.auxAddresses } : {}),
            },
          ],
        }
      : undefined;
    const id = await new NetworksApi(host.client).create({
      Name: input.name,
      Driver: input.driver,
      Internal: input.internal,
      Attachable: input.attachable,
      CheckDuplicate: true,
      ...(ipam ? { IPAM: ipam } : {}),
      ...(input.labels ? { Labels: input.labels } : {}),
      ...(input.options || input.encrypted
        ? { Options: { ...input.options, ...(input.encrypted ? { encrypted: '' } : {}) } }
        : {}),
    });
    await host.state.refreshNow('network', id);
    const flags = [
      ...(input.driver !== 'bridge' ? ['--driver', input.driver] : []),
      ...(subnet ? ['--subnet', subnet] : []),
      ...(input.gateway ? ['--gateway', input.gateway] : []),
      ...(input.ipRange ? ['--ip-range', input.ipRange] : []),
      ...Object.entries(input.auxAddresses ?? {}).flatMap(([k, v]) => [
        '--aux-address',
        `${k}=${v}`,
      ]),
      ...(input.internal ? ['--internal'] : []),
      ...(input.attachable ? ['--attachable'] : []),
      ...(input.encrypted ? ['--opt', 'encrypted'] : []),
      ...Object.entries(input.labels ?? {}).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
      ...Object.entries(input.options ?? {}).flatMap(([k, v]) => ['--opt', `${k}=${v}`]),
    ];
    return {
      ...(await this.get(hostId, id)),
      cli: dockerCommand('network', 'create', ...flags, input.name),
    };
  }

  async remove(hostId: string, ref: string): Promise<{ ok: true; cli: string }> {
    const { host, network } = await this.resolve(hostId, ref);
    if (BUILT_IN.has(network.Name))
      throw AppError.conflict(
        'built_in_network',
        `${network.Name} belongs to the engine and cannot be removed`,
      );
    const members = host.state
      .containers()
      .filter((c) => c.networks.some((n) => n.networkId === network.Id));
    if (members.length > 0) {
      throw AppError.conflict(
        'network_in_use',
        `${network.Name} still has containers: ${members.map((m) => m.name).join(', ')}`,
      );
    }
    await new NetworksApi(host.client).remove(network.Id);
    await this.reservations.removeNetwork(hostId, network.Id);
    await host.state.refreshNow('network', network.Id);
    return { ok: true, cli: dockerCommand('network', 'rm', network.Name) };
  }

  /** Networks no container uses (built-in ones aside); the dry run (default) lists them. */
  async prune(hostId: string, dryRun: boolean, label?: string): Promise<PruneResult> {
    const host = requireHost(this.hosts, hostId);
    const used = new Set(
      host.state.containers().flatMap((c) => c.networks.map((n) => n.networkId)),
    );
    const unused = host.state
      .networks()
      .filter((n) => !BUILT_IN.has(n.Name) && !used.has(n.Id) && matchesLabel(n.Labels, label));
    const api = new NetworksApi(host.client);
    const removed: PruneResult['removed'] = [];
    const failed: PruneResult['failed'] = [];
    for (const n of unused) {
      if (!dryRun) {
        try {
          await api.remove(n.Id);
          await this.reservations.removeNetwork(hostId, n.Id);
        } catch (err) {
          failed.push({ id: n.Id, error: err instanceof Error ? err.message : String(err) });
          continue;
        }
      }
      removed.push({ id: n.Id, name: n.Name });
    }
    return {
      dryRun,
      removed,
      reclaimedBytes: 0,
      failed,
      cli: dockerCommand('network', 'prune', ...labelFlags(label), '--force'),
    };
  }

  async suggest(
    hostId: string,
    expectedContainers: number,
  ): Promise<{ subnet: string | null; prefix: number; usableAddresses: number; profile: string }> {
    const host = requireHost(this.hosts, hostId);
    const profile = await this.profile(host);
    const prefix = suggestPrefix(expectedContainers, profile);
    return {
      subnet: findFreeSubnet(
        prefix,
        this.takenSubnets(host).map((t) => t.subnet),
      ),
      prefix,
      usableAddresses: usableHosts(prefix),
      profile,
    };
  }

  async topology(hostId: string): Promise<Topology> {
    return buildTopology(await this.topologyInput(requireHost(this.hosts, hostId)));
  }

  async document(hostId: string): Promise<string> {
    const host = requireHost(this.hosts, hostId);
    return networkDocument(host.name, await this.topologyInput(host), new Date());
  }

  async resolve(
    hostId: string,
    ref: string,
  ): Promise<{ host: EngineHost; network: RawNetworkInspect }> {
    const host = requireHost(this.hosts, hostId);
    const known = host.state.networks();
    const match =
      known.find((n) => n.Id === ref || n.Name === ref) ??
      known.find((n) => /^[0-9a-f]+$/.test(ref) && n.Id.startsWith(ref));
    const network = await new NetworksApi(host.client).find(match?.Id ?? ref);
    if (!network) throw AppError.notFound('network_not_found', `No network "${ref}" on ${hostId}`);
    return { host, network };
  }

  private summary(
    host: EngineHost,
    n: RawNetwork,
    profile: HardwareProfileName,
    reserved: { ip: string; purpose: string }[],
    onNetworks: ServicesOnNetworks | null = null,
  ): NetworkSummary {
    const members = host.state
      .containers()
      .flatMap((c) =>
        c.networks
          .filter((net) => net.networkId === n.Id)
          .map((net) => ({ containerId: c.id, name: c.name, ipv4: net.ipAddress })),
      );
    const subnets = (n.IPAM.Config ?? [])
      .filter((c) => c.Subnet)
      .map((c) => ({
        subnet: c.Subnet ?? '',
        gateway: c.Gateway ?? null,
        ipRange: c.IPRange ?? null,
      }));
    const first = subnets.find((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s.subnet));
    return {
      id: n.Id,
      name: n.Name,
      driver: n.Driver,
      scope: n.Scope,
      internal: n.Internal,
      attachable: n.Attachable,
      builtIn: BUILT_IN.has(n.Name),
      created: n.Created,
      subnets,
      labels: n.Labels ?? {},
      members,
      reservations: reserved.map((r) => ({ ip: r.ip, purpose: r.purpose })),
      oversized:
        first && !BUILT_IN.has(n.Name)
          ? oversized(parseCidr(first.subnet).prefix, members.length + reserved.length, profile)
          : null,
      ...(onNetworks && n.Scope === 'swarm' ? { services: onNetworks.get(n.Id) ?? [] } : {}),
    };
  }

  private takenSubnets(host: EngineHost): { subnet: string; network: string }[] {
    return host.state
      .networks()
      .flatMap((n) =>
        (n.IPAM.Config ?? []).map((c) => ({ subnet: c.Subnet ?? '', network: n.Name })),
      )
      .filter((t) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(t.subnet));
  }

  private async profile(host: EngineHost): Promise<HardwareProfileName> {
    return (await this.hardware.profile(host)).profile;
  }

  private async topologyInput(host: EngineHost): Promise<TopologyInput> {
    const api = new ContainersApi(host.client);
    const containers = await Promise.all(
      host.state.containers().map(async (c) => {
        const inspect = await api.find(c.id);
        const nets = Object.values(inspect?.NetworkSettings.Networks ?? {});
        return {
          id: c.id,
          name: c.name,
          state: c.state,
          networks: nets.map((n) => ({
            networkId: n.NetworkID,
            ip: n.IPAddress || null,
            aliases: (n.Aliases ?? []).filter((a) => !c.id.startsWith(a) && a !== c.name),
          })),
          ports: c.ports.map((p) => ({
            containerPort: p.privatePort,
            hostPort: p.publicPort,
            protocol: p.protocol,
            hostIp: p.hostIp,
          })),
        };
      }),
    );
    return {
      networks: host.state.networks().map((n) => ({
        id: n.Id,
        name: n.Name,
        driver: n.Driver,
        subnets: (n.IPAM.Config ?? []).map((c) => c.Subnet ?? '').filter(Boolean),
        gateway: n.IPAM.Config?.[0]?.Gateway ?? null,
        internal: n.Internal,
      })),
      containers,
      reservations: (await this.reservations.forHost(host.id)).map((r) => ({
        networkId: r.networkId,
        ip: r.ip,
        purpose: r.purpose,
      })),
    };
  }
}
