import type {
  ConnectRequest,
  ConnectResult,
  DisconnectResult,
  ReservationList,
} from '@berth/contract';
import { AppError } from '../../core/errors.js';
import type { NetworkAddresses } from './network-addresses.js';
import type { NetworksService } from './networks-service.js';
import type { ReservationsRepository } from './reservations-repository.js';

interface ReservationView {
  ip: string;
  purpose: string;
  createdAt: string;
}

/**
 * What joins a network, by the network's id, id prefix or name: containers connected and
 * disconnected, and the addresses reserved in it.
 */
export class NetworkAttachments {
  constructor(
    private readonly networks: NetworksService,
    private readonly addresses: NetworkAddresses,
    private readonly reservations: ReservationsRepository,
  ) {}

  async connect(hostId: string, ref: string, request: ConnectRequest): Promise<ConnectResult> {
    const { host, network } = await this.networks.resolve(hostId, ref);
    return this.addresses.connect(host, network.Name, request.container, request);
  }

  async disconnect(
    hostId: string,
    ref: string,
    container: string,
    force: boolean,
  ): Promise<DisconnectResult> {
    const { host, network } = await this.networks.resolve(hostId, ref);
    return this.addresses.disconnect(host, network.Name, container, force);
  }

  async list(hostId: string, ref: string): Promise<ReservationList> {
    const { network } = await this.networks.resolve(hostId, ref);
    const rows = await this.reservations.forNetwork(hostId, network.Id);
    return { reservations: rows.map(view) };
  }

  async reserve(
    hostId: string,
    ref: string,
    ip: string | undefined,
    purpose: string,
  ): Promise<ReservationView> {
    const { host, network } = await this.networks.resolve(hostId, ref);
    return view(await this.addresses.reserve(host, network, ip, purpose));
  }

  async unreserve(hostId: string, ref: string, ip: string): Promise<void> {
    const { network } = await this.networks.resolve(hostId, ref);
    if (!(await this.reservations.remove(hostId, network.Id, ip))) {
      throw AppError.notFound('reservation_not_found', `${ip} is not reserved in ${network.Name}`);
    }
  }
}

function view(row: ReservationView): ReservationView {
  return { ip: row.ip, purpose: row.purpose, createdAt: row.createdAt };
}
