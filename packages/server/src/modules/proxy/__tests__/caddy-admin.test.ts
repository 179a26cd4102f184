import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCaddyTools,
  startTestCaddy,
  type TestCaddy,
} from '../../../../../../scripts/lib/test-caddy.mjs';
import { CaddyAdmin, CaddyRequestError, CaddyUnreachableError } from '../caddy-admin.js';

describe("Caddy's admin API adapter", () => {
  let socketCaddy: TestCaddy;
  let portCaddy: TestCaddy;

  beforeAll(async () => {
    await ensureCaddyTools();
    [socketCaddy, portCaddy] = await Promise.all([
      startTestCaddy({ admin: 'socket' }),
      startTestCaddy({ admin: 'port' }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([socketCaddy.stop(), portCaddy.stop()]);
  });

  it('reads the config over a unix socket and over a loopback port', async () => {
    for (const caddy of [socketCaddy, portCaddy]) {
      const admin = new CaddyAdmin(caddy.admin);
      const servers = await admin.get<Record<string, { listen: string[] }>>(
        '/config/apps/http/servers',
      );
      expect(servers.srv0?.listen).toEqual([`127.0.0.1:${caddy.httpsPort}`]);
      expect(await admin.upstreams()).toEqual([]);
    }
  });

  it('writes and removes by @id, and passes Caddy’s own error text through', async () => {
    const admin = new CaddyAdmin(socketCaddy.admin);
    await admin.post('/config/apps/http/servers/srv0/routes', {
      '@id': 'berth-route-adapter',
      match: [{ host: ['adapter.test'] }],
      handle: [{ handler: 'static_response', body: 'x' }],
    });
    expect(await admin.find('/id/berth-route-adapter')).toMatchObject({
      match: [{ host: ['adapter.test'] }],
    });
    await admin.delete('/id/berth-route-adapter');
    expect(await admin.find('/id/berth-route-adapter')).toBeUndefined();
    const refused = await admin
      .patch('/config/apps/http/servers/srv0/routes/0', { handle: [{ handler: 'no_such' }] })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(CaddyRequestError);
    expect((refused as CaddyRequestError).caddyMessage).toContain('no_such');
  });

  it('says why it cannot reach a Caddy that is not there', async () => {
    const missing = new CaddyAdmin('unix:///nonexistent/caddy-admin.sock');
    const err = await missing.get('/config/').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaddyUnreachableError);
    expect((err as CaddyUnreachableError).reason).toContain('ENOENT');
    expect((err as Error).message).toContain('unix:///nonexistent/caddy-admin.sock');
  });
});
