import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  FleetContainerList,
  FleetImageList,
  FleetSearchResult,
  FleetSummary,
  FleetVolumeList,
} from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startIsolatedEngine,
  type IsolatedEngine,
} from '../../../../../../scripts/lib/isolated-engine.mjs';
import { buildTestImages } from '../../../../../../scripts/lib/test-images.mjs';
import { EngineClient } from '../../../docker/engine-client.js';
import { setupAdmin, type ApiClient } from '../../../testing/api-client.js';
import { SocketProxy } from '../../../testing/socket-proxy.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

/**
 * The fleet across two real engines: the shared test engine (`local`) and a second isolated
 * dockerd reached through a socket proxy (`second`, labelled `lab`), which the last test
 * makes unreachable.
 */
describe('the fleet', () => {
  const fixtures = new EngineFixtures();
  const run = fixtures.runId;
  const dir = mkdtempSync(join(tmpdir(), 'berth-fleet-'));
  let engine: IsolatedEngine;
  let proxy: SocketProxy;
  let raw: EngineClient;
  let t: TestApp;
  let admin: ApiClient;

  const get = async <T>(path: string, client: ApiClient = admin): Promise<T> => {
    const res = await client.get(path);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<T>();
  };
  const createOnSecond = async (name: string): Promise<string> =>
    (
      await raw.request<{ Id: string }>('POST', '/containers/create', {
        query: { name },
        body: { Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: { [TEST_LABEL]: run } },
      })
    ).Id;

  beforeAll(async () => {
    engine = await startIsolatedEngine({ bridge: false, quiet: true });
    await buildTestImages(engine.socketPath);
    raw = new EngineClient({ transport: 'unix', socketPath: engine.socketPath });
    proxy = new SocketProxy(join(dir, 'second.sock'), engine.socketPath);
    await proxy.listen();
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    const added = await admin.post('/api/hosts', {
      name: 'second',
      kind: 'socket',
      url: `unix://${proxy.path}`,
      labels: ['lab'],
    });
    expect(added.statusCode, added.body).toBe(201);

    // local: one running, one created; second: three created, named for the search ranking.
    const up = await fixtures.createContainer('up');
    await fixtures.start(up);
    await fixtures.createContainer('idle');
    await createOnSecond(`fx-${run}`);
    await createOnSecond(`fx-${run}-b`);
    await createOnSecond(`a-fx-${run}`);
    await raw.request('POST', '/volumes/create', {
      body: { Name: `fx-${run}-data`, Labels: { [TEST_LABEL]: run } },
    });
    // What an update check found earlier: the test image has a newer digest for `second`.
    await t.db
      .insertInto('image_update_checks')
      .values({
        host_id: 'second',
        image: TEST_IMAGE,
        local_digest: 'sha256:old',
        remote_digest: 'sha256:new',
        status: 'update-available',
        reason: null,
        checked_at: new Date().toISOString(),
      })
      .execute();
    await waitFor('both hosts listing their new containers and volume', async () => {
      const list = await get<FleetContainerList>(`/api/fleet/containers?q=${run}`);
      const volumes = await get<FleetVolumeList>(`/api/fleet/volumes?q=${run}`);
      return (
        list.total === 5 &&
        list.containers.some((c) => c.state === 'running') &&
        volumes.total === 1
      );
    });
  }, 180_000);
  afterAll(async () => {
    await t.close();
    await proxy.goDark();
    await fixtures.cleanup();
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sums every host up: state, containers by state, capacity once read', async () => {
    const summary = await get<FleetSummary>('/api/fleet');
    expect(summary.hosts.map((h) => h.id)).toEqual(['local', 'second']);
    const second = summary.hosts[1];
    expect(second).toMatchObject({
      id: 'second',
      name: 'second',
      kind: 'socket',
      labels: ['lab'],
      reachable: true,
      error: null,
      stale: null,
      insecure: false,
    });
    // The second engine holds exactly what this file made there.
    expect(second?.containers).toEqual({
      total: 3,
      running: 0,
      paused: 0,
      restarting: 0,
      stopped: 3,
      unhealthy: 0,
    });
    expect(second?.volumes).toBe(1);
    // Its three containers run the image the last check found an update for.
    expect(second?.updates).toBe(3);
    expect(summary.totals.updates).toBe(3 + (summary.hosts[0]?.updates ?? 0));
    const local = summary.hosts[0];
    expect(local?.containers.running).toBeGreaterThanOrEqual(1);
    expect(summary.totals.hosts).toBe(2);
    expect(summary.totals.reachable).toBe(2);
    expect(summary.totals.containers).toBe(
      (local?.containers.total ?? 0) + (second?.containers.total ?? 0),
    );
    // The hardware profile is read in the background, then served from memory.
    const read = await waitFor('capacity read', async () => {
      const again = await get<FleetSummary>('/api/fleet');
      return again.hosts.every((h) => h.capacity !== null) && again;
    });
    expect(read.hosts[1]?.capacity?.cpus).toBeGreaterThan(0);
    // Narrowed by host or by label.
    const byLabel = await get<FleetSummary>('/api/fleet?label=lab');
    expect(byLabel.hosts.map((h) => h.id)).toEqual(['second']);
    const byHost = await get<FleetSummary>('/api/fleet?host=local');
    expect(byHost.hosts.map((h) => h.id)).toEqual(['local']);
  });

  it('answers from the live state, never asking the engines', async () => {
    await waitFor('capacity read', async () =>
      (await get<FleetSummary>('/api/fleet')).hosts.every((h) => h.capacity !== null),
    );
    const before = proxy.requestLines.length;
    await get('/api/fleet');
    await get(`/api/fleet/containers?q=${run}`);
    await get('/api/fleet/images');
    await get('/api/fleet/volumes');
    await get(`/api/fleet/search?q=fx-${run}`);
    expect(proxy.requestLines.slice(before)).toEqual([]);
  });

  it('lists containers with a host column, sorted by host then name, filtered and paged', async () => {
    const all = await get<FleetContainerList>(`/api/fleet/containers?q=${run}`);
    expect(all.containers.map((c) => [c.host, c.name])).toEqual([
      ['local', fixtures.name('idle')],
      ['local', fixtures.name('up')],
      ['second', `a-fx-${run}`],
      ['second', `fx-${run}`],
      ['second', `fx-${run}-b`],
    ]);
    expect(all.hosts).toEqual([
      { id: 'local', reachable: true, stale: null },
      { id: 'second', reachable: true, stale: null },
    ]);
    // q is case-insensitive.
    const upper = await get<FleetContainerList>(`/api/fleet/containers?q=${run.toUpperCase()}`);
    expect(upper.total).toBe(5);

    const running = await get<FleetContainerList>(`/api/fleet/containers?q=${run}&state=running`);
    expect(running.containers.map((c) => c.name)).toEqual([fixtures.name('up')]);
    const onSecond = await get<FleetContainerList>(`/api/fleet/containers?q=${run}&host=second`);
    expect(onSecond.total).toBe(3);
    expect(onSecond.hosts.map((h) => h.id)).toEqual(['second']);
    const labelled = await get<FleetContainerList>(`/api/fleet/containers?q=${run}&label=lab`);
    expect(labelled.containers.every((c) => c.host === 'second')).toBe(true);
    const healthy = await get<FleetContainerList>(`/api/fleet/containers?q=${run}&health=healthy`);
    expect(healthy.total).toBe(0);

    const paged = await get<FleetContainerList>(`/api/fleet/containers?q=${run}&limit=2&offset=2`);
    expect(paged.total).toBe(5);
    expect(paged.containers.map((c) => c.name)).toEqual([`a-fx-${run}`, `fx-${run}`]);
  });

  it('lists images and volumes with a host column', async () => {
    const images = await get<FleetImageList>(
      `/api/fleet/images?q=${encodeURIComponent(TEST_IMAGE)}`,
    );
    const tagged = images.images.filter((i) => i.tags.includes(TEST_IMAGE));
    expect(tagged.map((i) => i.host)).toEqual(['local', 'second']);
    const volumes = await get<FleetVolumeList>(`/api/fleet/volumes?q=${run}`);
    expect(volumes.volumes.map((v) => [v.host, v.name])).toEqual([['second', `fx-${run}-data`]]);
    expect(volumes.total).toBe(1);
  });

  it('finds the exact name first, then prefixes, then substrings', async () => {
    const found = await get<FleetSearchResult>(`/api/fleet/search?q=FX-${run}`);
    expect(found.results.map((r) => [r.kind, r.host, r.name])).toEqual([
      ['container', 'second', `fx-${run}`],
      ['container', 'second', `fx-${run}-b`],
      ['volume', 'second', `fx-${run}-data`],
      ['container', 'second', `a-fx-${run}`],
    ]);
    expect(found.results[0]?.detail).toBe(`${TEST_IMAGE} · created`);
    const limited = await get<FleetSearchResult>(`/api/fleet/search?q=fx-${run}&limit=1`);
    expect(limited.results).toHaveLength(1);
    // A container is found by the start of its id too.
    const id = (await get<FleetContainerList>(`/api/fleet/containers?q=a-fx-${run}`)).containers[0]
      ?.id;
    const byId = await get<FleetSearchResult>(`/api/fleet/search?q=${id?.slice(0, 12)}`);
    expect(byId.results[0]).toMatchObject({ kind: 'container', id, name: `a-fx-${run}` });
  });

  it('refuses bad input naming the field', async () => {
    for (const [path, field] of [
      ['/api/fleet/search', 'query.q'],
      ['/api/fleet/search?q=', 'query.q'],
      ['/api/fleet/containers?state=sleeping', 'query.state'],
      ['/api/fleet/containers?limit=0', 'query.limit'],
      ['/api/fleet/images?offset=-1', 'query.offset'],
      ['/api/fleet?host=Not_A_Host', 'query.host'],
      ['/api/fleet?colour=red', 'query'],
    ] as const) {
      const res = await admin.get(path);
      expect(res.statusCode, path).toBe(400);
      const body = res.json<{ error: { code: string; message: string } }>();
      expect(body.error.code, path).toBe('validation_failed');
      expect(body.error.message, path).toContain(field);
    }
  });

  it('serves an unreachable host from its last known state, marked stale, with the others', async () => {
    await proxy.goDark();
    const summary = await waitFor('second marked unreachable', async () => {
      const s = await get<FleetSummary>('/api/fleet');
      return s.hosts[1]?.reachable === false && s;
    });
    const second = summary.hosts[1];
    expect(second?.error).not.toBeNull();
    expect(second?.stale?.reason).toBe(second?.error);
    expect(second?.stale?.since).not.toBeNull();
    // Its last known containers are still there, counted and listed.
    expect(second?.containers.total).toBe(3);
    expect(summary.totals).toMatchObject({ hosts: 2, reachable: 1 });
    expect(summary.hosts[0]).toMatchObject({ id: 'local', reachable: true, stale: null });

    const list = await get<FleetContainerList>(`/api/fleet/containers?q=${run}`);
    expect(list.total).toBe(5);
    expect(list.hosts[1]).toMatchObject({ id: 'second', reachable: false });
    expect(list.hosts[1]?.stale).toEqual(second?.stale);
    const found = await get<FleetSearchResult>(`/api/fleet/search?q=fx-${run}`);
    expect(found.results).toHaveLength(4);
  });
});
