import { api, listRoutes, isStreamRoute } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes, type RouteEntry } from '../../app.js';
import { setupAdmin } from '../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

/** Routes that are not the API's own: the reference's pages and the web app's files. */
const notApi = (url: string): boolean =>
  (!url.startsWith('/api/') && url !== '/metrics') ||
  url.startsWith('/api/docs') ||
  url === '/api/openapi.json';

const declared = listRoutes(api).map(({ name, route }) => ({
  name,
  key: `${isStreamRoute(route) ? 'GET' : route.method} ${route.path}`,
  route,
}));

describe('the route table: what the server registers is what the contract declares', () => {
  let t: TestApp;
  let registered: RouteEntry[];

  beforeAll(async () => {
    t = await startTestApp();
    // The reference is public, but like every route but health and setup, only once set up.
    await setupAdmin(t.app);
    registered = registeredRoutes(t.app).filter(
      (r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && !notApi(r.url),
    );
  });
  afterAll(() => t.close());

  it('declares every registered API route, and registers it from that declaration', () => {
    const byKey = new Map(declared.map((d) => [d.key, d.name]));
    const undeclared = registered
      .filter(
        (r) => r.config.route === undefined || byKey.get(`${r.method} ${r.url}`) !== r.config.route,
      )
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('registers every declared route', () => {
    const keys = new Set(registered.map((r) => `${r.method} ${r.url}`));
    expect(declared.filter((d) => !keys.has(d.key)).map((d) => d.name)).toEqual([]);
  });

  it('declares each method and path once', () => {
    const keys = declared.map((d) => d.key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('documents every declared route in OpenAPI: its name, summary and permission', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      paths: Record<
        string,
        Record<string, { summary?: string; operationId?: string; 'x-berth-permission'?: string }>
      >;
    }>();
    const missing = declared.filter(({ name, route, key }) => {
      // A trailing wildcard is `{*}` in OpenAPI (as @fastify/swagger writes it).
      const path = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*$/, '{*}');
      const method = key.split(' ')[0]?.toLowerCase() ?? '';
      const operation = doc.paths[path]?.[method];
      return (
        operation?.summary !== route.summary ||
        operation.operationId !== name ||
        operation['x-berth-permission'] !== route.permission
      );
    });
    expect(missing.map((d) => d.name)).toEqual([]);
  });

  it('gives every change an audit action or says it changes nothing', () => {
    const unaudited = declared.filter(
      ({ route }) =>
        !isStreamRoute(route) &&
        route.method !== 'GET' &&
        route.audit === undefined &&
        !route.noAudit,
    );
    expect(unaudited.map((d) => d.name)).toEqual([]);
  });
});
