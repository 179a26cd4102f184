import type { EngineClient } from './engine-client.js';
import { EngineRequestError } from './engine-errors.js';
import type { RawNetwork } from './engine-types.js';

export interface RawNetworkInspect extends RawNetwork {
  Containers?: Record<
    string,
    { Name: string; IPv4Address: string; IPv6Address: string; MacAddress: string }
  > | null;
}

export interface RawNetworkCreate {
  Name: string;
  Driver: string;
  Internal: boolean;
  Attachable: boolean;
  CheckDuplicate: boolean;
  EnableIPv6?: boolean;
  IPAM?: {
    Driver: string;
    Config: {
      Subnet?: string;
      Gateway?: string;
      IPRange?: string;
      AuxiliaryAddresses?: Record<string, string>;
    }[];
  };
  Labels?: Record<string, string>;
  Options?: Record<string, string>;
}

const enc = encodeURIComponent;

/** Network calls of the Engine API. No product logic. */
export class NetworksApi {
  constructor(private readonly client: EngineClient) {}

  async find(id: string): Promise<RawNetworkInspect | undefined> {
    try {
      return await this.client.request<RawNetworkInspect>('GET', `/networks/${enc(id)}`);
    } catch (err) {
      if (err instanceof EngineRequestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  async create(body: RawNetworkCreate): Promise<string> {
    return (await this.client.request<{ Id: string }>('POST', '/networks/create', { body })).Id;
  }

  async remove(id: string): Promise<void> {
    await this.client.request('DELETE', `/networks/${enc(id)}`);
  }

  async connect(
    id: string,
    container: string,
    ipv4Address?: string,
    aliases?: string[],
  ): Promise<void> {
    await this.client.request('POST', `/networks/${enc(id)}/connect`, {
      body: {
        Container: container,
        EndpointConfig: {
          ...(ipv4Address ? { IPAMConfig: { IPv4Address: ipv4Address } } : {}),
          ...(aliases ? { Aliases: aliases } : {}),
        },
      },
    });
  }

  async disconnect(id: string, container: string, force: boolean): Promise<void> {
    await this.client.request('POST', `/networks/${enc(id)}/disconnect`, {
      body: { Container: container, Force: force },
    });
  }
}
