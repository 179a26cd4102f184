import type { Role, StackVariables, StackVariablesUpdate } from '@berth/contract';
import type { SecretBox } from '../../core/crypto.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { requireHost } from '../hosts/require-host.js';
import type { StackVariablesRepository } from './stack-variables-repository.js';

/**
 * Berth's global variables per host, the first source of a stack's interpolation (its `.env`
 * overrides them). A secret one is sealed at rest and its value shown to admins only.
 */
export class StackVariablesService {
  constructor(
    private readonly hosts: EngineHosts,
    private readonly repository: StackVariablesRepository,
    private readonly box: SecretBox,
  ) {}

  async list(hostId: string, role: Role): Promise<StackVariables> {
    requireHost(this.hosts, hostId);
    const rows = await this.repository.list(hostId);
    return {
      variables: rows.map((r) => ({
        name: r.name,
        secret: r.secret,
        value: !r.secret ? r.value : role === 'admin' ? this.box.decrypt(r.value) : null,
      })),
    };
  }

  async replace(hostId: string, input: StackVariablesUpdate): Promise<StackVariables> {
    requireHost(this.hosts, hostId);
    await this.repository.replace(
      hostId,
      input.variables.map((v) => ({
        name: v.name,
        secret: v.secret,
        value: v.secret ? this.box.encrypt(v.value) : v.value,
      })),
    );
    return this.list(hostId, 'admin');
  }

  /** The values of the host's secret variables, which no answer may show. */
  async secretValues(hostId: string): Promise<string[]> {
    const rows = await this.repository.list(hostId);
    return rows.filter((r) => r.secret).map((r) => this.box.decrypt(r.value));
  }

  /** The variables as the loader takes them: name → value. */
  async env(hostId: string): Promise<Record<string, string>> {
    const rows = await this.repository.list(hostId);
    return Object.fromEntries(
      rows.map((r) => [r.name, r.secret ? this.box.decrypt(r.value) : r.value]),
    );
  }
}
