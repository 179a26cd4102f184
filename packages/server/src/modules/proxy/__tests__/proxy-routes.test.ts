import type { EventsMessage, ProxyRoute, ProxyState } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCaddyTools,
  startTestCaddy,
  USER_HOSTNAME,
  USER_ROUTE_BODY,
  type TestCaddy,
} from '../../../../../../scripts/lib/test-caddy.mjs';
import { setupAdmin, tokenFor, userSession, type ApiClient } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import {
  caddyConfig,
  caRoot,
  createRoute,
  routeState,
  startWebContainer,
  throughCaddy,
  untilAnswers,
  upgradeThroughCaddy,
} from './proxy-support.js';

describe('proxy routes through a real Caddy to real containers', () => {
  let caddy: TestCaddy;
  let t: TestApp;
  let admin: ApiClient;
  let ca: string;
  let web: { id: string; name: string };
  const fixtures = new EngineFixtures();
  const host = (name: string) => `${name}-${fixtures.runId}.proxy.test`;
  let userConfigBefore: string;

  const userRouteAnswers = async (): Promise<void> => {
    const answer = await throughCaddy(caddy, USER_HOSTNAME, { tls: { ca } });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(USER_ROUTE_BODY);
    // The user's server, route and TLS policy as they wrote them.
    const config = await caddyConfig(caddy);
    const servers = (config.apps as { http: { servers: Record<string, { routes: unknown[] }> } })
      .http.servers;
    const userRoutes = servers.srv0?.routes.filter(
      (r) => !String((r as { '@id'?: string })['@id'] ?? '').startsWith('berth-'),
    );
    expect(JSON.stringify(userRoutes)).toBe(userConfigBefore);
  };

  beforeAll(async () => {
    await ensureCaddyTools();
    caddy = await startTestCaddy({ admin: 'socket' });
    ca = await caRoot(caddy);
    const before = await caddyConfig(caddy);
    userConfigBefore = JSON.stringify(
      (before.apps as { http: { servers: Record<string, { routes: unknown[] }> } }).http.servers
        .srv0?.routes,
    );
    t = await startTestApp({
      proxy: { admin: caddy.admin, server: null, checkEveryMs: 100 },
    });
    admin = await setupAdmin(t.app);
    web = await startWebContainer(fixtures, 'web', `hello-from-${fixtures.runId}`);
    await t.hosts.get('local')?.state.settled();
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
    await caddy.stop();
  });

  it('answers over HTTPS with a certificate of Caddy’s internal CA, via the published port', async () => {
    const route = await createRoute(admin, {
      hostnames: [host('tls')],
      target: { host: 'local', container: web.name, port: 80, via: 'published' },
      tls: 'internal',
    });
    expect(route.applied.state).toBe('applied');
    expect(route.upstreams).toEqual([
      expect.objectContaining({ dial: expect.stringMatching(/^127\.0\.0\.1:\d+$/) }),
    ]);
    expect(route.urls).toEqual([`https://${host('tls')}/`]);
    expect(route.cli).toContain(`${host('tls')} {`);
    expect(route.cli).toContain('tls internal');
    const answer = await untilAnswers(
      'the route to answer over verified HTTPS',
      () => throughCaddy(caddy, host('tls'), { tls: { ca } }),
      `hello-from-${fixtures.runId}`,
    );
    expect(answer.status).toBe(200);
    const seen = await waitFor('the certificate to be read', async () => {
      const state = await routeState(admin, route.id);
      return state.certificates[0]?.state === 'valid' && state;
    });
    expect(seen.certificates[0]).toMatchObject({ hostname: host('tls'), state: 'valid' });
    expect(seen.certificates[0]?.issuer).toMatch(/Caddy Local Authority/);
    await userRouteAnswers();
  });

  it('answers over plain HTTP with TLS off, via the container’s network address', async () => {
    const route = await createRoute(admin, {
      hostnames: [host('plain')],
      target: { host: 'local', container: web.name, port: 80, via: 'network' },
      tls: 'off',
    });
    expect(route.applied).toMatchObject({ state: 'applied', reason: null });
    expect(route.upstreams[0]?.dial).not.toMatch(/^127\./);
    expect(route.urls).toEqual([`http://${host('plain')}/`]);
    expect(route.cli).toContain(`http://${host('plain')} {`);
    await untilAnswers(
      'the plain route to answer',
      () => throughCaddy(caddy, host('plain')),
      `hello-from-${fixtures.runId}`,
    );
    await userRouteAnswers();
  });

  it('puts basic auth, headers and compression in front, and passes an HTTP upgrade through', async () => {
    const password = 'a-long-secret-password';
    const res = await admin.post('/api/proxy/routes', {
      hostnames: [host('guarded')],
      target: { host: 'local', container: web.name, port: 80 },
      tls: 'off',
      auth: { type: 'basic', users: [{ username: 'alice', password }] },
      headers: { request: { 'X-Berth-Test': 'sent' }, response: { 'X-Served-By': 'berth' } },
      compress: true,
    });
    expect(res.statusCode).toBe(201);
    expect(res.body).not.toContain(password);
    const route = res.json<ProxyRoute>();
    expect(route.auth).toEqual({ type: 'basic', usernames: ['alice'] });
    const name = host('guarded');
    const denied = await waitFor('the route to ask for credentials', async () => {
      const answer = await throughCaddy(caddy, name);
      return answer.status === 401 && answer;
    });
    expect(denied.headers['www-authenticate']).toMatch(/Basic/);
    const authorization = `Basic ${Buffer.from(`alice:${password}`).toString('base64')}`;
    const wrong = `Basic ${Buffer.from('alice:not-the-password').toString('base64')}`;
    expect((await throughCaddy(caddy, name, { headers: { Authorization: wrong } })).status).toBe(
      401,
    );
    const ok = await throughCaddy(caddy, name, {
      path: '/big.txt',
      headers: { Authorization: authorization, 'Accept-Encoding': 'gzip' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-encoding']).toBe('gzip');
    expect(ok.headers['x-served-by']).toBe('berth');
    // No password anywhere Berth answers.
    for (const url of ['/api/proxy/routes', `/api/proxy/routes/${route.id}`, '/api/proxy']) {
      expect((await admin.get(url)).body).not.toContain(password);
    }

    const upgrade = await createRoute(admin, {
      hostnames: [host('upgrade')],
      target: { host: 'local', container: web.name, port: 81 },
      tls: 'off',
      compress: false,
    });
    expect(upgrade.applied.state).toBe('applied');
    const echoed = await waitFor('the upgrade to pass through', () =>
      upgradeThroughCaddy(caddy.httpPort, host('upgrade'), 'ping-through-caddy'),
    );
    expect(echoed.statusLine).toBe('HTTP/1.1 101 Switching Protocols');
    expect(echoed.echoed).toContain('ping-through-caddy');
  });

  it('refuses a hostname another route has (409 naming it), a missing host (404), and bad input without writing', async () => {
    const first = await createRoute(admin, {
      hostnames: [host('taken')],
      target: { host: 'local', container: web.name, port: 80 },
      tls: 'internal',
    });
    const taken = await admin.post('/api/proxy/routes', {
      hostnames: [host('taken')],
      target: { host: 'local', container: web.name, port: 80 },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<{ error: { message: string } }>().error.message).toContain(first.id);
    const noHost = await admin.post('/api/proxy/routes', {
      hostnames: [host('nohost')],
      target: { host: 'nowhere', container: web.name, port: 80 },
    });
    expect(noHost.statusCode).toBe(404);
    expect(noHost.body).toContain('target.host');
    const bad = await admin.post('/api/proxy/routes', {
      hostnames: ['not a hostname'],
      target: { host: 'local', container: web.name, port: 80 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('hostnames');
    const twoKinds = await admin.post('/api/proxy/routes', {
      hostnames: [host('twokinds')],
      target: { host: 'local', container: web.name, swarmService: 'x', port: 80 },
    });
    expect(twoKinds.statusCode).toBe(400);
    expect(twoKinds.body).toContain('target.container');
    const list = (await admin.get('/api/proxy/routes')).json<{ routes: ProxyRoute[] }>().routes;
    expect(list.flatMap((r) => r.hostnames)).not.toContain(host('nohost'));
    expect(list.flatMap((r) => r.hostnames)).not.toContain(host('twokinds'));
    expect((await admin.get('/api/proxy/routes/no-such-route')).statusCode).toBe(404);
    expect((await admin.patch('/api/proxy/routes/no-such-route', { tls: 'off' })).statusCode).toBe(
      404,
    );
    expect((await admin.delete('/api/proxy/routes/no-such-route')).statusCode).toBe(404);
  });

  it('shows a target that does not exist as not applied with the reason, not as an error', async () => {
    const route = await createRoute(admin, {
      hostnames: [host('ghost')],
      target: { host: 'local', container: 'berth-test-no-such-container', port: 80 },
      tls: 'internal',
    });
    expect(route.applied).toMatchObject({
      state: 'not_applied',
      reason: expect.stringContaining('no container "berth-test-no-such-container"'),
    });
  });

  it('disables, changes and deletes routes in Caddy, and tells the target host’s events stream', async () => {
    const messages: EventsMessage[] = [];
    const stop = t.services.events.follow('local', (m) => messages.push(m));
    const route = await createRoute(admin, {
      hostnames: [host('change')],
      target: { host: 'local', container: web.name, port: 80 },
      tls: 'off',
    });
    await untilAnswers('the route', () => throughCaddy(caddy, host('change')), 'hello-from');
    const disabled = await admin.patch(`/api/proxy/routes/${route.id}`, { enabled: false });
    expect(disabled.json<ProxyRoute>().applied.state).toBe('disabled');
    expect((await throughCaddy(caddy, host('change'))).body).not.toContain('hello-from');
    const moved = await admin.patch(`/api/proxy/routes/${route.id}`, {
      enabled: true,
      hostnames: [host('changed')],
    });
    expect(moved.json<ProxyRoute>().applied.state).toBe('applied');
    await untilAnswers('the new name', () => throughCaddy(caddy, host('changed')), 'hello-from');
    expect((await admin.delete(`/api/proxy/routes/${route.id}`)).statusCode).toBe(204);
    expect((await throughCaddy(caddy, host('changed'))).body).not.toContain('hello-from');
    await waitFor('the removal on the events stream', () =>
      messages.some((m) => m.type === 'proxy' && m.id === route.id && m.route === null),
    );
    expect(
      messages.some(
        (m) => m.type === 'proxy' && m.id === route.id && m.route?.applied.state === 'disabled',
      ),
    ).toBe(true);
    stop();
    await userRouteAnswers();
  });

  it('reports the proxy’s state, keeps ACME settings, and the user route survives Berth deleting all its routes', async () => {
    const settings = await admin.patch('/api/proxy/settings', {
      acmeEmail: 'ops@example.com',
    });
    expect(settings.json()).toEqual({ acmeEmail: 'ops@example.com', acmeCa: null });
    expect((await admin.patch('/api/proxy/settings', { acmeEmail: 'nope' })).statusCode).toBe(400);
    const auto = await createRoute(admin, {
      hostnames: [host('acme')],
      target: { host: 'local', container: web.name, port: 80 },
      tls: 'auto',
    });
    const config = await caddyConfig(caddy);
    expect(JSON.stringify(config)).toContain('"email":"ops@example.com"');
    expect(auto.applied.state).toBe('applied');
    const state = (await admin.get('/api/proxy')).json<ProxyState>();
    expect(state).toMatchObject({
      admin: caddy.admin,
      reachable: true,
      server: 'srv0',
      listen: [`127.0.0.1:${caddy.httpsPort}`],
      settings: { acmeEmail: 'ops@example.com', acmeCa: null },
    });
    expect(state.routes.total).toBeGreaterThan(0);
    const all = (await admin.get('/api/proxy/routes')).json<{ routes: ProxyRoute[] }>().routes;
    for (const route of all) {
      expect((await admin.delete(`/api/proxy/routes/${route.id}`)).statusCode).toBe(204);
    }
    expect(JSON.stringify(await caddyConfig(caddy))).not.toContain('berth-route-');
    await userRouteAnswers();
  });

  it('lets operators with a grant wake and sleep; viewers get 403, strangers 404', async () => {
    const route = await createRoute(admin, {
      hostnames: [host('wake')],
      target: { host: 'local', container: web.name, port: 80 },
      tls: 'off',
      wake: { idleMinutes: 5 },
    });
    const viewer = await tokenFor(await userSession(admin, 'proxy-viewer', 'viewer'));
    const stranger = await tokenFor(await userSession(admin, 'proxy-stranger', 'viewer', []));
    const operator = await tokenFor(await userSession(admin, 'proxy-operator', 'operator'));
    expect((await viewer.get(`/api/proxy/routes/${route.id}`)).statusCode).toBe(200);
    expect((await stranger.get(`/api/proxy/routes/${route.id}`)).statusCode).toBe(404);
    expect((await stranger.get('/api/proxy/routes')).json<{ routes: unknown[] }>().routes).toEqual(
      [],
    );
    expect((await viewer.post(`/api/proxy/routes/${route.id}/wake`)).statusCode).toBe(403);
    expect((await stranger.post(`/api/proxy/routes/${route.id}/sleep`)).statusCode).toBe(404);
    // An operator granted the target's host may wake it (it is awake: answered as it is).
    const woken = await operator.post(`/api/proxy/routes/${route.id}/wake`);
    expect(woken.statusCode).toBe(200);
    expect(woken.json<ProxyRoute>().wake?.state).toBe('awake');
    expect(
      (await operator.patch(`/api/proxy/routes/${route.id}`, { tls: 'auto' })).statusCode,
    ).toBe(403);
  });
});
