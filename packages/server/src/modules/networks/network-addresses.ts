import { AppError } from '../../core/errors.js';
import { dockerCommand } from '../../core/docker-command.js';
import { EngineRequestError } from '../../docker/engine-errors.js';
import type { EngineHost } from '../../docker/engine-hosts.js';
import { NetworksApi, type RawNetworkInspect } from '../../docker/networks-api.js';
import type { ContainersService } from '../containers/containers-service.js';
import { cidrContains, isIpv4, nextFreeIp } from './ipv4.js';
import type { ReservationsRepository, ReservationRow } from './reservations-repository.js';

function ipOnly(address: string): string {
  return address.split('/')[0] ?? address;
}

/**
 * Who gets which address in a network: reservations, and the address a container is given
 * when it joins. A reserved address is never handed out unless asked for by its purpose; in a
 * network with reservations Berth picks the address itself, so the engine cannot pick a
 * reserved one.
 */
export class NetworkAddresses {
  constructor(
    private readonly reservations: ReservationsRepository,
    private readonly containers: ContainersService,
  ) {}

  async reserve(
    host: EngineHost,
    network: RawNetworkInspect,
    ip: string | undefined,
    purpose: string,
  ): Promise<ReservationRow> {
    const subnet = network.IPAM.Config?.[0]?.Subnet;
    if (!subnet || !isIpv4(ipOnly(subnet)))
      throw AppError.badRequest('no_subnet', `${network.Name} has no IPv4 range to reserve in`);
    const existing = await this.reservations.forNetwork(host.id, network.Id);
    if (existing.some((r) => r.purpose === purpose))
      throw AppError.conflict(
        'purpose_taken',
        `"${purpose}" already has an address in ${network.Name}`,
      );
    const used = this.usedAddresses(network);
    const chosen =
      ip ??
      nextFreeIp(
        subnet,
        network.IPAM.Config?.[0]?.Gateway ?? null,
        used,
        existing.map((r) => r.ip),
      );
    if (!chosen)
      throw AppError.conflict('network_full', `${network.Name} has no free address left`);
    if (!cidrContains(subnet, chosen))
      throw AppError.badRequest('ip_outside_network', `${chosen} is not in ${subnet}`);
    if (existing.some((r) => r.ip === chosen))
      throw AppError.conflict('ip_reserved', `${chosen} is already reserved in ${network.Name}`);
    if (used.includes(chosen))
      throw AppError.conflict('ip_in_use', `${chosen} is in use in ${network.Name}`);
    await this.reservations.add(host.id, network.Id, chosen, purpose);
    return { networkId: network.Id, ip: chosen, purpose, createdAt: new Date().toISOString() };
  }

  /**
   * The address to ask the engine for: the requested one (refused when reserved), the one
   * reserved for `reservation`, or in a network with reservations the next free unreserved one.
   * Undefined leaves the choice to the engine.
   */
  async plan(
    host: EngineHost,
    networkRef: string,
    requested?: string,
    reservation?: string,
  ): Promise<string | undefined> {
    const network = await new NetworksApi(host.client).find(networkRef);
    if (!network)
      throw AppError.notFound('network_not_found', `No network "${networkRef}" on ${host.id}`);
    const reserved = await this.reservations.forNetwork(host.id, network.Id);
    if (reservation) {
      const match = reserved.find((r) => r.purpose === reservation);
      if (!match)
        throw AppError.notFound(
          'reservation_not_found',
          `No address reserved for "${reservation}" in ${network.Name}`,
        );
      return match.ip;
    }
    if (requested) {
      const hit = reserved.find((r) => r.ip === requested);
      if (hit)
        throw AppError.conflict(
          'ip_reserved',
          `${requested} is reserved in ${network.Name} for "${hit.purpose}": ask for that reservation`,
        );
      return requested;
    }
    if (reserved.length === 0) return undefined;
    const subnet = network.IPAM.Config?.[0]?.Subnet;
    if (!subnet) return undefined;
    const free = nextFreeIp(
      subnet,
      network.IPAM.Config?.[0]?.Gateway ?? null,
      this.usedAddresses(network),
      reserved.map((r) => r.ip),
    );
    if (!free)
      throw AppError.conflict('network_full', `${network.Name} has no unreserved address left`);
    return free;
  }

  async connect(
    host: EngineHost,
    networkRef: string,
    containerRef: string,
    options: { ipv4Address?: string; reservation?: string; aliases?: string[] },
  ): Promise<{ ip: string | null; cli: string }> {
    const { id, name } = await this.containers.resolve(host.id, containerRef);
    const ip = await this.plan(host, networkRef, options.ipv4Address, options.reservation);
    try {
      await new NetworksApi(host.client).connect(networkRef, id, ip, options.aliases);
    } catch (err) {
      if (err instanceof EngineRequestError && err.statusCode === 403)
        throw AppError.conflict('already_connected', err.message);
      throw err;
    }
    const flags = [
      ...(ip ? ['--ip', ip] : []),
      ...(options.aliases ?? []).flatMap((a) => ['--alias', a]),
    ];
    return { ip: ip ?? null, cli: dockerCommand('network', 'connect', ...flags, networkRef, name) };
  }

  async disconnect(
    host: EngineHost,
    networkRef: string,
    containerRef: string,
    force: boolean,
  ): Promise<{ cli: string }> {
    const { id, name } = await this.containers.resolve(host.id, containerRef);
    await new NetworksApi(host.client).disconnect(networkRef, id, force);
    return {
      cli: dockerCommand('network', 'disconnect', ...(force ? ['--force'] : []), networkRef, name),
    };
  }

  private usedAddresses(network: RawNetworkInspect): string[] {
    return Object.values(network.Containers ?? {})
      .map((c) => ipOnly(c.IPv4Address))
      .filter((ip) => ip.length > 0);
  }
}
