import { randomBytes } from 'node:crypto';
import { EngineClient } from '../docker/engine-client.js';
import { parseDockerHost, type EngineEndpoint } from '../docker/engine-endpoint.js';
import type { RawContainerSummary } from '../docker/engine-types.js';

/** The engine `npm test` provides. Integration tests fail loudly without it; they never skip. */
export function testEngineHost(): string {
  const host = process.env.BERTH_TEST_DOCKER_HOST;
  if (!host) {
    throw new Error(
      'BERTH_TEST_DOCKER_HOST is not set: run the tests with `npm test`, which provides an engine',
    );
  }
  return host;
}

export function testEngineEndpoint(): EngineEndpoint {
  return parseDockerHost(testEngineHost());
}

export function testSocketPath(): string {
  const endpoint = testEngineEndpoint();
  if (endpoint.transport !== 'unix') throw new Error('the test engine must be a unix socket');
  return endpoint.socketPath;
}

export const TEST_IMAGE = process.env.BERTH_TEST_IMAGE ?? 'berth-test/busybox:1';

/** Label put on everything a test creates, so each file cleans up only its own objects. */
export const TEST_LABEL = 'io.berth.test';

/** Runs out of its 8 MiB at once: tail keeps the whole line in memory (/dev/zero has no newline). */
export const OUT_OF_MEMORY = {
  Cmd: ['sh', '-c', 'head -c 256m /dev/zero | tail'],
  HostConfig: { Memory: 8 * 1024 * 1024, MemorySwap: 8 * 1024 * 1024 },
};

/**
 * Creates and removes engine objects for one test file through the raw Engine API (not through
 * Berth), tagging each with a run id so cleanup() removes exactly what this file made.
 */
export class EngineFixtures {
  readonly runId = randomBytes(4).toString('hex');
  readonly client = new EngineClient(testEngineEndpoint());

  name(base: string): string {
    return `berth-test-${base}-${this.runId}`;
  }

  async createContainer(
    base: string,
    cmd: string[] = ['sleep', '300'],
    labels: Record<string, string> = {},
  ): Promise<string> {
    const created = await this.client.request<{ Id: string }>('POST', '/containers/create', {
      query: { name: this.name(base) },
      body: {
        Image: TEST_IMAGE,
        Cmd: cmd,
        Labels: { [TEST_LABEL]: this.runId, ...labels },
        StopTimeout: 1,
      },
    });
    return created.Id;
  }

  /** Creates one with more of the Engine API's create body (HostConfig, Healthcheck, …). */
  async createWith(
    base: string,
    body: { Cmd: string[] } & Record<string, unknown>,
  ): Promise<string> {
    const created = await this.client.request<{ Id: string }>('POST', '/containers/create', {
      query: { name: this.name(base) },
      body: {
        Image: TEST_IMAGE,
        StopTimeout: 1,
        ...body,
        Labels: {
          ...(body.Labels as Record<string, string> | undefined),
          [TEST_LABEL]: this.runId,
        },
      },
    });
    return created.Id;
  }

  async start(id: string): Promise<void> {
    await this.client.request('POST', `/containers/${id}/start`);
  }

  async stop(id: string): Promise<void> {
    await this.client.request('POST', `/containers/${id}/stop`, { query: { t: 1 } });
  }

  async remove(id: string): Promise<void> {
    await this.client.request('DELETE', `/containers/${id}`, { query: { force: true } });
  }

  async listOwnContainers(): Promise<RawContainerSummary[]> {
    return this.client.listContainers({ label: [`${TEST_LABEL}=${this.runId}`] });
  }

  async cleanup(): Promise<void> {
    const own = await this.listOwnContainers();
    await Promise.all(own.map((c) => this.remove(c.Id)));
    const networks = await this.client.listNetworks({ label: [`${TEST_LABEL}=${this.runId}`] });
    await Promise.all(networks.map((n) => this.client.request('DELETE', `/networks/${n.Id}`)));
    const volumes = await this.client.request<{ Volumes: { Name: string }[] | null }>(
      'GET',
      '/volumes',
      {
        query: { filters: JSON.stringify({ label: [`${TEST_LABEL}=${this.runId}`] }) },
      },
    );
    await Promise.all(
      (volumes.Volumes ?? []).map((v) => this.client.request('DELETE', `/volumes/${v.Name}`)),
    );
    this.client.close();
  }
}
