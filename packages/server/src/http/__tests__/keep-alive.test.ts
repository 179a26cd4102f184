import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_ENGINE, startTestApp, type TestApp } from '../../testing/test-app.js';

describe('keep-alive connections', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ endpoint: NO_ENGINE });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  it('keeps an idle connection open well past a browser polling interval', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const ask = (): Promise<{ keepAlive: string | undefined; socket: unknown }> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/api/health', agent }, (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ keepAlive: String(res.headers['keep-alive']), socket: req.socket }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    const first = await ask();
    const second = await ask();
    agent.destroy();
    // Node announces the idle timeout it will apply; 5 s (its default) would drop a session
    // polling every 3-6 s between requests, and each request would open a new connection.
    expect(first.keepAlive).toBe('timeout=72');
    expect(second.socket).toBe(first.socket);
  });
});
