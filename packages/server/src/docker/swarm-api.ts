import type { IncomingMessage } from 'node:http';
import { filtersParam, type EngineClient, type Query } from './engine-client.js';
import { EngineRequestError } from './engine-errors.js';
import type { RawNode, RawSecret, RawService, RawServiceSpec, RawTask } from './swarm-types.js';

const enc = encodeURIComponent;

function orUndefined<T>(err: unknown): T | undefined {
  if (err instanceof EngineRequestError && err.statusCode === 404) return undefined;
  throw err;
}

/** Service, task, node (read), secret and config calls of the Engine API. No product logic. */
export class SwarmApi {
  constructor(private readonly client: EngineClient) {}

  services(filters?: Record<string, string[]>): Promise<RawService[]> {
    return this.client.request<RawService[]>('GET', '/services', {
      query: { status: true, ...(filters ? { filters: filtersParam(filters) } : {}) },
    });
  }

  service(id: string): Promise<RawService | undefined> {
    return this.client
      .request<RawService>('GET', `/services/${enc(id)}`)
      .catch(orUndefined<RawService>);
  }

  async createService(spec: RawServiceSpec): Promise<{ id: string; warnings: string[] }> {
    const res = await this.client.request<{ ID: string; Warnings?: string[] | null }>(
      'POST',
      '/services/create',
      { body: spec },
    );
    return { id: res.ID, warnings: res.Warnings ?? [] };
  }

  /** `rollback: true` asks the engine for its previous spec (the body is then ignored). */
  async updateService(
    id: string,
    version: number,
    spec: RawServiceSpec,
    rollback = false,
  ): Promise<string[]> {
    const query: Query = { version, ...(rollback ? { rollback: 'previous' } : {}) };
    const res = await this.client.request<{ Warnings?: string[] | null } | undefined>(
      'POST',
      `/services/${enc(id)}/update`,
      { query, body: spec },
    );
    return res?.Warnings ?? [];
  }

  async removeService(id: string): Promise<void> {
    await this.client.request('DELETE', `/services/${enc(id)}`);
  }

  tasks(filters: Record<string, string[]> = {}): Promise<RawTask[]> {
    return this.client.request<RawTask[]>('GET', '/tasks', {
      query: { filters: filtersParam(filters) },
    });
  }

  nodes(): Promise<RawNode[]> {
    return this.client.request<RawNode[]>('GET', '/nodes');
  }

  /** `/services/{id}/logs` or `/tasks/{id}/logs` (multiplexed; the service must not use a TTY). */
  logs(
    kind: 'services' | 'tasks',
    id: string,
    query: Query,
    signal?: AbortSignal,
  ): Promise<IncomingMessage> {
    return this.client.stream('GET', `/${kind}/${enc(id)}/logs`, {
      query: { stdout: true, stderr: true, details: true, ...query },
      ...(signal ? { signal } : {}),
    });
  }

  /** Secrets or configs (the same shape; a secret's Data never comes back). */
  files(kind: 'secrets' | 'configs'): Promise<RawSecret[]> {
    return this.client.request<RawSecret[]>('GET', `/${kind}`);
  }

  file(kind: 'secrets' | 'configs', id: string): Promise<RawSecret | undefined> {
    return this.client
      .request<RawSecret>('GET', `/${kind}/${enc(id)}`)
      .catch(orUndefined<RawSecret>);
  }

  async createFile(kind: 'secrets' | 'configs', spec: RawSecret['Spec']): Promise<string> {
    return (await this.client.request<{ ID: string }>('POST', `/${kind}/create`, { body: spec }))
      .ID;
  }

  async removeFile(kind: 'secrets' | 'configs', id: string): Promise<void> {
    await this.client.request('DELETE', `/${kind}/${enc(id)}`);
  }
}
