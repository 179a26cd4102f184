import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin } from '../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

describe('HTTP basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      endpoint: { transport: 'unix', socketPath: '/nonexistent/berth-test/docker.sock' },
    });
    await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  it('answers an unknown route with a JSON 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/nothing-here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.json()).toEqual({
      error: { code: 'route_not_found', message: 'No route GET /api/nothing-here' },
    });
  });

  it('serves the OpenAPI document generated from the contract', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/health',
        '/api/hosts',
        '/api/hosts/{host}/info',
        '/api/hosts/{host}/containers',
      ]),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Health', 'HostInfo', 'ErrorBody']),
    );
  });

  it('serves the browsable API reference and the placeholder page', async () => {
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
    const home = await t.app.inject({ method: 'GET', url: '/' });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('<title>Berth</title>');
    // A deep link of the web app gets the same page; an unknown API route stays a JSON 404.
    const deep = await t.app.inject({ method: 'GET', url: '/containers/abc' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<title>Berth</title>');
  });
});
