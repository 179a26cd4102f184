import type { EngineClient } from '../../docker/engine-client.js';
import { filtersParam } from '../../docker/engine-client.js';
import type { RawNetwork } from '../../docker/engine-types.js';
import type {
  RawNetworkCreate,
  RawSecret,
  RawService,
  RawServiceSpec,
  RawSwarmInfo,
  RawTask,
} from '../../docker/swarm-types.js';
import type { SwarmSnapshot } from './stack-planner.js';
import { STACK_NAMESPACE } from './swarm-labels.js';

const label = (namespace?: string): string =>
  namespace === undefined ? STACK_NAMESPACE : `${STACK_NAMESPACE}=${namespace}`;

/** The Engine API calls of a swarm stack: no product logic, the engine's own shapes. */
export class SwarmStackEngine {
  constructor(private readonly client: EngineClient) {}

  async swarmInfo(): Promise<RawSwarmInfo | undefined> {
    const info = (await this.client.info()) as { Swarm?: RawSwarmInfo };
    return info.Swarm;
  }

  /** Services labelled with a stack namespace (one, or any), with their task counts. */
  services(namespace?: string): Promise<RawService[]> {
    return this.client.request<RawService[]>('GET', '/services', {
      query: { status: true, filters: filtersParam({ label: [label(namespace)] }) },
    });
  }

  tasks(namespace: string): Promise<RawTask[]> {
    return this.client.request<RawTask[]>('GET', '/tasks', {
      query: { filters: filtersParam({ label: [label(namespace)] }) },
    });
  }

  networks(): Promise<RawNetwork[]> {
    return this.client.listNetworks();
  }

  secrets(): Promise<RawSecret[]> {
    return this.client.request<RawSecret[]>('GET', '/secrets');
  }

  configs(): Promise<RawSecret[]> {
    return this.client.request<RawSecret[]>('GET', '/configs');
  }

  async snapshot(namespace: string): Promise<SwarmSnapshot> {
    const [services, networks, secrets, configs] = await Promise.all([
      this.services(namespace),
      this.networks(),
      this.secrets(),
      this.configs(),
    ]);
    return { services, networks, secrets, configs };
  }

  async createNetwork(spec: RawNetworkCreate): Promise<string> {
    const created = await this.client.request<{ Id: string }>('POST', '/networks/create', {
      body: { ...spec, CheckDuplicate: true },
    });
    return created.Id;
  }

  async createObject(
    kind: 'secret' | 'config',
    name: string,
    labels: Record<string, string>,
    data: string,
  ): Promise<string> {
    const created = await this.client.request<{ ID: string }>('POST', `/${kind}s/create`, {
      body: { Name: name, Labels: labels, Data: data },
    });
    return created.ID;
  }

  async createService(spec: RawServiceSpec): Promise<string> {
    const created = await this.client.request<{ ID: string }>('POST', '/services/create', {
      body: spec,
    });
    return created.ID;
  }

  async updateService(id: string, version: number, spec: RawServiceSpec): Promise<void> {
    await this.client.request('POST', `/services/${encodeURIComponent(id)}/update`, {
      query: { version },
      body: spec,
    });
  }

  async remove(kind: 'network' | 'secret' | 'config' | 'service', id: string): Promise<void> {
    await this.client.request('DELETE', `/${kind}s/${encodeURIComponent(id)}`);
  }
}
