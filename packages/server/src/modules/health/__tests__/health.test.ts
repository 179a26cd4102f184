import { Health } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';

describe('GET /api/health', () => {
  describe('with the engine up', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t.close());

    it('reports the server, the database and a reachable engine with its latency', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(200);
      const body = Health.parse(res.json());
      expect(body.status).toBe('ok');
      expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(body.db).toEqual({ ok: true });
      expect(body.engines).toHaveLength(1);
      const [engine] = body.engines;
      expect(engine).toMatchObject({ host: 'local', reachable: true });
      expect(engine?.version).toMatch(/^\d+\.\d+/);
      expect(engine?.apiVersion).toMatch(/^1\.\d+$/);
      expect(engine?.latencyMs).toBeGreaterThanOrEqual(0);
      expect(engine?.error).toBeUndefined();
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('reports the database failing without failing itself', async () => {
      const other = await startTestApp();
      await other.db.destroy();
      const res = await other.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ db: { ok: false } });
      await other.app.close();
      await other.hosts.stop();
    });
  });

  describe('with no engine at the configured address', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        endpoint: { transport: 'unix', socketPath: '/nonexistent/berth-test/docker.sock' },
      });
    });
    afterAll(() => t.close());

    it('still answers 200 and says why the engine is unreachable', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.statusCode).toBe(200);
      const [engine] = Health.parse(res.json()).engines;
      expect(engine).toMatchObject({
        host: 'local',
        reachable: false,
        latencyMs: null,
        version: null,
      });
      expect(engine?.error).toMatch(/ENOENT/);
    });
  });
});
