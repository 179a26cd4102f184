import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProxyState } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCaddyTools,
  startTestCaddy,
  USER_HOSTNAME,
  USER_ROUTE_BODY,
  type TestCaddy,
} from '../../../../../../scripts/lib/test-caddy.mjs';
import { setupAdmin, type ApiClient } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import {
  caRoot,
  createRoute,
  routeState,
  startWebContainer,
  throughCaddy,
  untilAnswers,
} from './proxy-support.js';

describe('proxy routes when Caddy restarts or goes away (admin API on a loopback port)', () => {
  let caddy: TestCaddy;
  let t: TestApp;
  let admin: ApiClient;
  const fixtures = new EngineFixtures();
  const hostname = `back-${fixtures.runId}.proxy.test`;
  let says: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-proxy-db-'));
  const databaseFile = join(dataDir, 'berth.db');
  const proxy = () => ({ admin: caddy.admin, server: null, checkEveryMs: 100 });

  beforeAll(async () => {
    await ensureCaddyTools();
    caddy = await startTestCaddy({ admin: 'port' });
    t = await startTestApp({ proxy: proxy(), databaseFile });
    admin = await setupAdmin(t.app);
    says = `back-from-${fixtures.runId}`;
    const web = await startWebContainer(fixtures, 'web', says);
    await t.hosts.get('local')?.state.settled();
    await createRoute(admin, {
      hostnames: [hostname],
      target: { host: 'local', container: web.name, port: 80 },
      tls: 'internal',
    });
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
    await caddy.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes its routes again after Caddy restarted without them', async () => {
    const ca = await caRoot(caddy);
    await untilAnswers('the route', () => throughCaddy(caddy, hostname, { tls: { ca } }), says);
    await caddy.restart();
    // Caddy came back from its file: the user's route only, until Berth's check sees that.
    const answer = await untilAnswers(
      'the route re-applied',
      () => throughCaddy(caddy, hostname, { tls: { ca: ca } }),
      says,
    );
    expect(answer.status).toBe(200);
    const user = await throughCaddy(caddy, USER_HOSTNAME, { tls: { ca } });
    expect(user.body).toBe(USER_ROUTE_BODY);
  });

  it('shows routes not applied with the reason while Caddy is down, and applies them when it is back', async () => {
    await caddy.halt();
    const down = await waitFor('the proxy to be seen unreachable', async () => {
      const state = (await admin.get('/api/proxy')).json<ProxyState>();
      return !state.reachable && state;
    });
    // Refused, or cut while Caddy went down mid-request.
    expect(down.reason).toMatch(/ECONNREFUSED|connect|hang up|ECONNRESET/);
    expect(down.routes).toMatchObject({ applied: 0, notApplied: 1, total: 1 });
    const list = (await admin.get('/api/proxy/routes')).json<{
      routes: { id: string; applied: { state: string; reason: string } }[];
    }>().routes;
    expect(list[0]?.applied).toMatchObject({
      state: 'not_applied',
      reason: expect.stringContaining('unreachable'),
    });
    await caddy.start();
    const ca = await caRoot(caddy);
    await untilAnswers(
      'the route after Caddy is back',
      () => throughCaddy(caddy, hostname, { tls: { ca } }),
      says,
    );
    const id = list[0]?.id ?? '';
    // Caddy answers as soon as it holds the route; Berth records it once its writes are done.
    await waitFor(
      'the route shown applied',
      async () => (await routeState(admin, id)).applied.state === 'applied',
    );
    expect((await admin.get('/api/proxy')).json<ProxyState>().reachable).toBe(true);
  });

  it('writes the stored routes to a fresh Caddy when Berth itself starts again', async () => {
    await t.close();
    await caddy.restart();
    const ca = await caRoot(caddy);
    // Without Berth's route Caddy has no certificate for the name: the handshake fails.
    const before = await throughCaddy(caddy, hostname, { tls: { ca } }).catch(() => null);
    expect(before?.body ?? '').not.toContain(says);
    t = await startTestApp({ proxy: proxy(), databaseFile });
    await untilAnswers(
      'the stored route after Berth started again',
      () => throughCaddy(caddy, hostname, { tls: { ca } }),
      says,
    );
  });
});
