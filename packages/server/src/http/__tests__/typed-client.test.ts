import {
  api,
  ApiError,
  ContractMismatch,
  createApiClient,
  NetworkError,
  routePath,
} from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { setupAdmin, tokenFor, type ApiClient } from '../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

/** The client the web UI and the CLI use, made from the contract, against the real server. */
describe('the typed client of the route contract', () => {
  let t: TestApp;
  let base: string;
  let caller: ApiClient;

  beforeAll(async () => {
    t = await startTestApp();
    caller = await tokenFor(await setupAdmin(t.app), 'typed-client');
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => t.close());

  const client = (fetchImpl?: typeof fetch) =>
    createApiClient(api, {
      baseUrl: base,
      headers: () => caller.headers,
      validate: true,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    });

  it('calls a route and answers its parsed, typed response', async () => {
    const health = await client().health.get();
    expect(health.status).toBe('ok');
    const { hosts } = await client().hosts.list();
    expect(hosts.map((h) => h.id)).toContain('local');
  });

  it('fills params URL-encoded, so an id cannot reach another route', async () => {
    expect(routePath(api.hosts.info, { params: { host: 'a/../b' } })).toBe(
      '/api/hosts/a%2F..%2Fb/info',
    );
    const failure = await client()
      .hosts.info({ params: { host: 'no-such-host' } })
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(404);
    expect((failure as ApiError).code).toBe('host_not_found');
  });

  it('refuses an answer that does not match its declared schema, naming the route', async () => {
    const tampered: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const body = (await res.json()) as Record<string, unknown>;
      return new Response(JSON.stringify({ ...body, status: 42 }), {
        status: res.status,
        headers: res.headers,
      });
    };
    const failure = await client(tampered)
      .health.get()
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ContractMismatch);
    expect((failure as ContractMismatch).message).toMatch(/^health\.get: .*status/);
  });

  it('says when the server cannot be reached at all', async () => {
    const unreachable = createApiClient(api, { baseUrl: 'http://127.0.0.1:1' });
    await expect(unreachable.health.get()).rejects.toBeInstanceOf(NetworkError);
  });

  it('opens a stream at its declared path and parses its messages with their schema', async () => {
    const stream = client().events.stream;
    const socket = new WebSocket(
      `${base.replace('http', 'ws')}${stream.url({ params: { host: 'local' } })}`,
      { headers: caller.headers },
    );
    const first = await new Promise<string>((resolve, reject) => {
      socket.once('message', (data: Buffer) => resolve(data.toString()));
      socket.once('error', reject);
    });
    socket.close();
    expect(stream.parse(first)).toEqual({ type: 'hello', host: 'local', reachable: true });
    expect(() => stream.parse('{"type":"hello"}')).toThrow(ContractMismatch);
  });
});
