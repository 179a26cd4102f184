import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ProxyRoute, ProxyRouteList } from '@berth/contract';
import { call } from '../../../../e2e/berth-process.js';
import {
  ensureCaddyTools,
  startTestCaddy,
  type TestCaddy,
} from '../../../../scripts/lib/test-caddy.mjs';
import { EngineFixtures } from '../../../server/src/testing/test-engine.js';
import { waitFor } from '../../../server/src/testing/wait-for.js';
import { CliWorld } from './cli-harness.js';

/** `berth get routes` against a real server driving a real Caddy (Debian's, on loopback). */
const world = new CliWorld();
const engine = new EngineFixtures();
const web = engine.name('routed');
const hostname = `cli-${engine.runId}.test`;
let caddy: TestCaddy;
let routeId = '';
let viewerToken = '';
let outsiderToken = '';

const get = (args: string[], token?: string) =>
  world.run(['get', ...args], { env: world.env(token) });

beforeAll(async () => {
  await ensureCaddyTools();
  caddy = await startTestCaddy({ admin: 'socket' });
  await world.start({ BERTH_CADDY_ADMIN: caddy.admin });
  const id = await engine.createContainer('routed', ['httpd', '-f', '-p', '8080'], {});
  await engine.start(id);
  const made = await call(
    world.base,
    'POST',
    '/api/proxy/routes',
    {
      hostnames: [hostname],
      target: { host: 'local', container: web, port: 8080, via: 'network' },
      tls: 'internal',
    },
    world.adminCookie,
  );
  expect(made.status, made.body).toBe(201);
  routeId = ProxyRoute.parse(JSON.parse(made.body)).id;
  // A viewer granted the local host (the route's target host), and one granted nothing.
  const password = 'routes viewer password 1';
  const user = await call(
    world.base,
    'POST',
    '/api/users',
    {
      username: 'routes-viewer',
      password,
      role: 'viewer',
      hosts: ['local'],
      mustChangePassword: false,
    },
    world.adminCookie,
  );
  expect(user.status, user.body).toBe(201);
  const login = await call(world.base, 'POST', '/api/auth/login', {
    username: 'routes-viewer',
    password,
  });
  viewerToken = await world.tokenFor(login.cookie ?? '', 'routes viewer token');
  outsiderToken = await world.userToken('routes-outsider', 'viewer');
  // Caddy holds it once Berth has written it there.
  await waitFor(
    'the route applied in Caddy',
    async () => {
      const one = await call(
        world.base,
        'GET',
        `/api/proxy/routes/${routeId}`,
        undefined,
        world.adminCookie,
      );
      return ProxyRoute.parse(JSON.parse(one.body)).applied.state === 'applied';
    },
    30_000,
    100,
  );
}, 180_000);
afterAll(async () => {
  if (routeId)
    await call(world.base, 'DELETE', `/api/proxy/routes/${routeId}`, undefined, world.adminCookie);
  await engine.cleanup();
  await world.stop();
  await caddy.stop();
});

/** The cells of the row whose first cell is `first`. */
const rowOf = (out: string, first: string) =>
  out
    .split('\n')
    .find((l) => l.split(/\s{3,}/)[0] === first)
    ?.split(/\s{3,}/);

describe('berth get routes', () => {
  it('lists routes with their hostnames, target, TLS, applied, wake and source', async () => {
    const table = await get(['routes']);
    expect(table.err).toBe('');
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(
      /^HOSTNAMES\s+TARGET\s+TLS\s+APPLIED\s+WAKE\s+SOURCE$/,
    );
    expect(rowOf(table.out, hostname)).toEqual([
      hostname,
      `local/${web}:8080`,
      'internal',
      'applied',
      '-',
      'api',
    ]);
  });

  it('prints wide, json, yaml and names as the other kinds do', async () => {
    const wide = await get(['routes', hostname, '-o', 'wide']);
    expect(wide.out.split('\n')[0]).toMatch(
      /\sPATH\s+CERTIFICATE\s+UPSTREAMS\s+REASON\s+ID\s+AGE$/,
    );
    expect(wide.out).toContain(routeId);
    const json = ProxyRouteList.parse(JSON.parse((await get(['routes', '-o', 'json'])).out));
    expect(json.routes.map((r) => r.id)).toContain(routeId);
    const yaml = await get(['route', '-o', 'yaml']);
    expect(() => ProxyRouteList.parse(parse(yaml.out))).not.toThrow();
    expect((await get(['routes', routeId, '-o', 'name'])).out).toBe(`route/${hostname}\n`);
  });

  it('shows viewers the routes to the hosts they see, and names a route that is not there', async () => {
    const viewer = await get(['routes'], viewerToken);
    expect(viewer.code).toBe(0);
    expect(rowOf(viewer.out, hostname)?.[1]).toBe(`local/${web}:8080`);
    const outsider = await get(['routes'], outsiderToken);
    expect(outsider.code).toBe(0);
    expect(outsider.out).not.toContain(hostname);
    const missing = await get(['routes', 'nowhere.test']);
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('nowhere.test');
  });
});
