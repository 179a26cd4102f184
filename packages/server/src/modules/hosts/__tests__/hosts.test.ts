import { HostInfo, HostList } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin, type ApiClient } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';

describe('hosts routes', () => {
  let t: TestApp;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startTestApp({
      readLocalModel: () => Promise.resolve('Raspberry Pi 4 Model B Rev 1.4'),
    });
    admin = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  it('lists the local host as reachable with its counts', async () => {
    const res = await admin.get('/api/hosts');
    expect(res.statusCode).toBe(200);
    const { hosts } = HostList.parse(res.json());
    expect(hosts).toHaveLength(1);
    const [local] = hosts;
    expect(local).toMatchObject({ id: 'local', transport: 'unix', reachable: true, error: null });
    expect(local?.endpoint).toBe(process.env.BERTH_TEST_DOCKER_HOST);
    expect(local?.counts.images).toBeGreaterThanOrEqual(1);
  });

  it("returns the engine summary and the host's hardware profile", async () => {
    const res = await admin.get('/api/hosts/local/info');
    expect(res.statusCode).toBe(200);
    const info = HostInfo.parse(res.json());
    expect(info.engine.ncpu).toBeGreaterThan(0);
    expect(info.engine.memTotal).toBeGreaterThan(0);
    expect(info.engine.version).toMatch(/^\d+\.\d+/);
    expect(info.hardware.cpus).toBe(info.engine.ncpu);
    expect(info.hardware.memoryBytes).toBe(info.engine.memTotal);
    // The board model read on the local machine decides the Raspberry Pi profile.
    expect(info.hardware).toMatchObject({
      isRaspberryPi: true,
      profile: 'raspberry-pi',
      model: 'Raspberry Pi 4 Model B Rev 1.4',
    });
    expect(info.hardware.recommendedContainers).toBeLessThan(info.hardware.maxContainers);
    // The engine is on this machine (a unix socket), so its memory is this machine's.
    expect(info.memory?.totalBytes).toBe(info.engine.memTotal);
    expect((info.memory?.usedBytes ?? 0) + (info.memory?.availableBytes ?? 0)).toBe(
      info.memory?.totalBytes,
    );
  });

  it('answers 404 naming an unknown host and 400 naming a malformed one', async () => {
    const unknown = await admin.get('/api/hosts/elsewhere/info');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      error: {
        code: 'host_not_found',
        message: 'No host "elsewhere"',
        details: { host: 'elsewhere' },
      },
    });
    const bad = await admin.get('/api/hosts/Not%20A%20Host/info');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error: { code: 'validation_failed', details: { issues: [{ field: 'params.host' }] } },
    });
  });
});

describe('hosts routes with the engine unreachable', () => {
  let t: TestApp;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startTestApp({
      endpoint: { transport: 'unix', socketPath: '/nonexistent/berth-test/docker.sock' },
    });
    admin = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  it('lists the host as unreachable with the reason, and info answers 503', async () => {
    const list = HostList.parse((await admin.get('/api/hosts')).json());
    expect(list.hosts[0]).toMatchObject({ id: 'local', reachable: false });
    expect(list.hosts[0]?.error).toMatch(/ENOENT/);
    const info = await admin.get('/api/hosts/local/info');
    expect(info.statusCode).toBe(503);
    expect(info.json()).toMatchObject({ error: { code: 'host_unreachable' } });
  });
});
