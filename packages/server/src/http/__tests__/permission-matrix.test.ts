import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes, type RouteEntry } from '../../app.js';
import {
  ApiClient,
  bearer,
  login,
  setupAdmin,
  tokenFor,
  userSession,
} from '../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { testSocketPath } from '../../testing/test-engine.js';
import type { Permission } from '../route-permissions.js';

type Caller =
  | 'anonymous'
  | 'viewer'
  | 'viewerByLabel'
  | 'viewerWithoutGrant'
  | 'operator'
  | 'admin'
  | 'scraper';
const CALLERS: Caller[] = [
  'anonymous',
  'viewer',
  'viewerByLabel',
  'viewerWithoutGrant',
  'operator',
  'admin',
  // A viewer's scrape token (scope metrics): GET /metrics and nothing else.
  'scraper',
];
/** The host each caller's host-scoped URLs name: the label viewer's is granted by its label. */
const HOST_OF: Partial<Record<Caller, string>> = { viewerByLabel: 'labelled' };

/** What each caller should meet, by the route's declared permission. */
function expectation(
  permission: Permission,
  caller: Caller,
  hostScoped: boolean,
): 'allowed' | 401 | 403 | 404 {
  if (permission === 'public') return 'allowed';
  if (caller === 'anonymous') return 401;
  if (permission === 'metrics') return caller === 'scraper' || caller === 'admin' ? 'allowed' : 403;
  if (caller === 'scraper') return 403;
  if (permission === 'authenticated') return 'allowed';
  if (permission === 'admin') return caller === 'admin' ? 'allowed' : 403;
  if (permission === 'host:write' && caller.startsWith('viewer')) return 403;
  if (caller === 'viewerWithoutGrant' && hostScoped) return 404;
  return 'allowed';
}

function concreteUrl(url: string, host: string): string {
  return url
    .replace(':host', host)
    .replace(/:[a-zA-Z]+/g, 'no-such-id')
    .replace('*', 'index.html');
}

describe('permission matrix: every route, every role', () => {
  let t: TestApp;
  const clients = new Map<Caller, ApiClient>();
  let routes: RouteEntry[];

  beforeAll(async () => {
    t = await startTestApp({ extraHosts: ['elsewhere'] });
    const admin = await setupAdmin(t.app);
    // The test engine again, as a host labelled `matrix` (granted to one viewer by that label).
    const labelled = await admin.post('/api/hosts', {
      name: 'labelled',
      kind: 'socket',
      url: `unix://${testSocketPath()}`,
      labels: ['matrix'],
      allowDuplicate: true,
    });
    if (labelled.statusCode !== 201) throw new Error(`host add failed: ${labelled.body}`);
    clients.set('anonymous', new ApiClient(t.app));
    // Tokens, so that logout and password routes cannot end the sessions under test.
    clients.set('admin', await tokenFor(admin, 'matrix'));
    clients.set('operator', await tokenFor(await userSession(admin, 'matrix-op', 'operator')));
    const viewerSession = await userSession(admin, 'matrix-viewer', 'viewer');
    clients.set('viewer', await tokenFor(viewerSession));
    const scrape = await viewerSession.post('/api/me/tokens', { name: 'scrape', scope: 'metrics' });
    if (scrape.statusCode !== 201) throw new Error(`token create failed: ${scrape.body}`);
    clients.set('scraper', bearer(t.app, scrape.json<{ secret: string }>().secret));
    const byLabel = await admin.post('/api/users', {
      username: 'matrix-labels',
      password: 'matrix-labels-password',
      role: 'viewer',
      hostLabels: ['matrix'],
    });
    if (byLabel.statusCode !== 201) throw new Error(`user create failed: ${byLabel.body}`);
    clients.set(
      'viewerByLabel',
      await tokenFor(await login(t.app, 'matrix-labels', 'matrix-labels-password')),
    );
    clients.set(
      'viewerWithoutGrant',
      await tokenFor(await userSession(admin, 'matrix-stranger', 'viewer', ['elsewhere'])),
    );
    routes = registeredRoutes(t.app).filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
  });
  afterAll(() => t.close());

  it('finds the routes from the server itself', () => {
    const urls = routes.map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(
      expect.arrayContaining([
        'GET /api/health',
        'POST /api/auth/login',
        'GET /api/users',
        'GET /api/hosts/:host/containers',
        // Issue 14: hosts at runtime and the fleet.
        'GET /api/hosts',
        'POST /api/hosts',
        'POST /api/hosts/test',
        'GET /api/hosts/:host',
        'PATCH /api/hosts/:host',
        'DELETE /api/hosts/:host',
        'GET /api/hosts/:host/info',
        'GET /api/fleet',
        'GET /api/fleet/containers',
        'GET /api/fleet/images',
        'GET /api/fleet/volumes',
        'GET /api/fleet/search',
        // Issue 15: the CLI's cp and attach.
        'PUT /api/hosts/:host/containers/:id/files/archive',
        'PUT /api/hosts/:host/volumes/:name/files/archive',
        'GET /api/hosts/:host/containers/:id/attach',
        // Issue 16: the outbound agent.
        'GET /api/agent/connect',
        'GET /api/hosts/:host/agent',
        'POST /api/hosts/:host/agent/join-token',
        'POST /api/hosts/:host/agent/rotate-key',
        'POST /api/hosts/:host/agent/revoke',
        // Issue 17: notification channels and their deliveries.
        'GET /api/notifications/channels',
        'POST /api/notifications/channels',
        'GET /api/notifications/channels/:id',
        'PATCH /api/notifications/channels/:id',
        'DELETE /api/notifications/channels/:id',
        'POST /api/notifications/channels/:id/test',
        'GET /api/notifications/deliveries',
        'GET /metrics',
        'GET /api/hosts/:host/containers/:id/logs/analysis',
        // Issue 17: health history and alerts.
        'GET /api/hosts/:host/containers/:id/health-history',
        'GET /api/hosts/:host/incidents',
        'GET /api/alerts/rules',
        'POST /api/alerts/rules',
        'GET /api/alerts/rules/:id',
        'PATCH /api/alerts/rules/:id',
        'DELETE /api/alerts/rules/:id',
        'GET /api/alerts',
        'POST /api/alerts/:id/ack',
        'GET /api/alerts/silences',
        'POST /api/alerts/silences',
        'DELETE /api/alerts/silences/:id',
        // Issue 17: monitoring.
        'GET /api/hosts/:host/containers/:id/metrics',
        'GET /api/hosts/:host/metrics',
        // Issue 18: the swarm, its nodes and each cluster once.
        'GET /api/hosts/:host/swarm',
        'POST /api/hosts/:host/swarm/init',
        'POST /api/hosts/:host/swarm/join',
        'POST /api/hosts/:host/swarm/leave',
        'GET /api/hosts/:host/swarm/join-tokens',
        'POST /api/hosts/:host/swarm/join-tokens/rotate',
        'GET /api/swarms',
        'GET /api/hosts/:host/nodes',
        'GET /api/hosts/:host/nodes/:id',
        'PATCH /api/hosts/:host/nodes/:id',
        'DELETE /api/hosts/:host/nodes/:id',
        // Issue 18: swarm stacks.
        'GET /api/hosts/:host/swarm-stacks',
        'GET /api/hosts/:host/swarm-stacks/:name',
        'POST /api/hosts/:host/swarm-stacks/:name/plan',
        'POST /api/hosts/:host/swarm-stacks/:name/deploy',
        'DELETE /api/hosts/:host/swarm-stacks/:name',
        // Issue 18: swarm services, tasks, logs, secrets and configs.
        'GET /api/hosts/:host/services',
        'POST /api/hosts/:host/services',
        'GET /api/hosts/:host/services/:id',
        'PATCH /api/hosts/:host/services/:id',
        'DELETE /api/hosts/:host/services/:id',
        'POST /api/hosts/:host/services/:id/scale',
        'POST /api/hosts/:host/services/:id/rollback',
        'POST /api/hosts/:host/services/:id/resume',
        'GET /api/hosts/:host/services/:id/tasks',
        'GET /api/hosts/:host/services/:id/logs',
        'GET /api/hosts/:host/services/:id/logs/stream',
        'GET /api/hosts/:host/tasks',
        'GET /api/hosts/:host/secrets',
        'POST /api/hosts/:host/secrets',
        'GET /api/hosts/:host/secrets/:id',
        'DELETE /api/hosts/:host/secrets/:id',
        'POST /api/hosts/:host/secrets/:id/rotate',
        'GET /api/hosts/:host/configs',
        'POST /api/hosts/:host/configs',
        'GET /api/hosts/:host/configs/:id',
        'DELETE /api/hosts/:host/configs/:id',
        // Issue 19: routes through Caddy.
        'GET /api/proxy',
        'PATCH /api/proxy/settings',
        'GET /api/proxy/routes',
        'POST /api/proxy/routes',
        'GET /api/proxy/routes/:id',
        'PATCH /api/proxy/routes/:id',
        'DELETE /api/proxy/routes/:id',
        'POST /api/proxy/routes/:id/wake',
        'POST /api/proxy/routes/:id/sleep',
      ]),
    );
  });

  it('has a declared permission on every route', () => {
    const undeclared = routes
      .filter((r) => r.config.permission === undefined)
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('keeps public only what must be: health, setup, login, agents dialing in, the API reference and the web files', () => {
    const isWebFile = (url: string) => !url.startsWith('/api/');
    const publicRoutes = routes
      .filter(
        (r) =>
          r.config.permission === 'public' && !isWebFile(r.url) && !r.url.startsWith('/api/docs'),
      )
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    expect(publicRoutes).toEqual([
      // Agents prove themselves inside the socket: a join token once, then their own key.
      'GET /api/agent/connect',
      'GET /api/health',
      'GET /api/openapi.json',
      'GET /api/setup',
      'POST /api/auth/login',
      'POST /api/setup',
    ]);
    const adminOnly = routes.filter((r) =>
      /^\/api\/(users|audit|settings|notifications|alerts\/rules)/.test(r.url),
    );
    expect(adminOnly.length).toBeGreaterThan(0);
    expect(adminOnly.filter((r) => r.config.permission !== 'admin')).toEqual([]);
  });

  it('answers each caller as the declared permission says', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const permission = route.config.permission;
      if (!permission) continue;
      for (const caller of CALLERS) {
        const url = concreteUrl(route.url, HOST_OF[caller] ?? 'local');
        const client = clients.get(caller);
        if (!client) throw new Error(`no client for ${caller}`);
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
        const res = await client.request(route.method as 'GET', url, body);
        const want = expectation(permission, caller, route.url.includes(':host'));
        const code =
          res.statusCode >= 400 ? res.json<{ error: { code: string } }>().error.code : '';
        const hostDenied = res.statusCode === 404 && code === 'host_not_found';
        const ok =
          want === 'allowed'
            ? res.statusCode !== 401 && res.statusCode !== 403 && !hostDenied
            : want === 404
              ? hostDenied
              : res.statusCode === want;
        if (!ok)
          failures.push(
            `${route.method} ${route.url} as ${caller}: got ${res.statusCode} ${code}, want ${String(want)}`,
          );
      }
    }
    expect(failures).toEqual([]);
  });

  it('lists only granted hosts to a viewer', async () => {
    const stranger = clients.get('viewerWithoutGrant');
    const viewer = clients.get('viewer');
    const admin = clients.get('admin');
    const ids = async (c: ApiClient | undefined) =>
      (await c?.get('/api/hosts'))?.json<{ hosts: { id: string }[] }>().hosts.map((h) => h.id);
    expect(await ids(stranger)).toEqual(['elsewhere']);
    expect(await ids(viewer)).toEqual(['local']);
    expect(await ids(clients.get('viewerByLabel'))).toEqual(['labelled']);
    expect((await ids(admin))?.sort()).toEqual(['elsewhere', 'labelled', 'local']);
  });
});
