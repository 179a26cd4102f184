import { describe, expect, it } from 'vitest';
import { EngineClient, MAX_API_VERSION } from '../engine-client.js';
import { EngineRequestError, EngineUnreachableError } from '../engine-errors.js';
import { testEngineEndpoint } from '../../testing/test-engine.js';

describe('EngineClient against a real engine', () => {
  it('pings, negotiates the API version and reads version and info', async () => {
    const client = new EngineClient(testEngineEndpoint());
    const ping = await client.ping();
    expect(ping.apiVersion).toMatch(/^1\.\d+$/);
    expect(ping.latencyMs).toBeGreaterThanOrEqual(0);
    expect(client.negotiatedApiVersion).toBe(MAX_API_VERSION);
    const [version, info] = await Promise.all([client.version(), client.info()]);
    expect(version.ApiVersion).toBe(ping.apiVersion);
    expect(info.NCPU).toBeGreaterThan(0);
    client.close();
  });

  it("raises the engine's own message with its status for a refused request", async () => {
    const client = new EngineClient(testEngineEndpoint());
    const err = await client
      .request('GET', '/containers/berth-no-such-container/json')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineRequestError);
    expect(err).toMatchObject({
      statusCode: 404,
      message: expect.stringContaining('No such container'),
    });
    client.close();
  });

  it('raises EngineUnreachableError when nothing listens', async () => {
    const client = new EngineClient({ transport: 'unix', socketPath: '/nonexistent/docker.sock' });
    await expect(client.ping()).rejects.toBeInstanceOf(EngineUnreachableError);
    await expect(client.listContainers()).rejects.toThrow(/unreachable: ENOENT/);
    client.close();
  });
});
