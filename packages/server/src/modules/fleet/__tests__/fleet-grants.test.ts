import type {
  FleetContainerList,
  FleetSearchResult,
  FleetSummary,
  HostList,
  UserView,
} from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  login,
  setupAdmin,
  tokenFor,
  userSession,
  type ApiClient,
} from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, testSocketPath } from '../../../testing/test-engine.js';
import { WsRecorder } from '../../../testing/ws-client.js';

/**
 * Who sees which host: grants by host id and by host label, over every place a host shows —
 * the hosts list, host-scoped routes and streams, the fleet answers and search. `local`,
 * `beta` (labelled `lab`) and `gamma` (unlabelled) are three entries for the one test engine,
 * so each holds the same containers and only the grants tell them apart.
 */
describe('grants by host and by host label', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let admin: ApiClient;
  let byId: ApiClient;
  let byLabel: ApiClient;
  let byLabelUser: UserView;
  let container: string;

  const addHost = async (name: string, labels: string[]) => {
    const res = await admin.post('/api/hosts', {
      name,
      kind: 'socket',
      url: `unix://${testSocketPath()}`,
      labels,
      allowDuplicate: true,
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const json = async <T>(client: ApiClient, path: string): Promise<T> => {
    const res = await client.get(path);
    expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
    return res.json<T>();
  };
  /** Every host id an answer of the caller names, wherever in it. */
  const seen = async (client: ApiClient) => {
    const hosts = (await json<HostList>(client, '/api/hosts')).hosts.map((h) => h.id).sort();
    const fleet = (await json<FleetSummary>(client, '/api/fleet')).hosts.map((h) => h.id);
    const list = await json<FleetContainerList>(client, `/api/fleet/containers?q=${container}`);
    const search = await json<FleetSearchResult>(client, `/api/fleet/search?q=${container}`);
    return {
      hosts,
      fleet,
      containers: [...new Set(list.containers.map((c) => c.host))],
      listedHosts: list.hosts.map((h) => h.id),
      search: [...new Set(search.results.map((r) => r.host))],
    };
  };
  const only = (ids: string[]) => ({
    hosts: ids,
    fleet: ids,
    containers: ids,
    listedHosts: ids,
    search: ids,
  });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    await addHost('beta', ['lab']);
    await addHost('gamma', []);
    container = fixtures.name('granted');
    await fixtures.createContainer('granted');
    byId = await tokenFor(await userSession(admin, 'by-id', 'viewer', ['local']));
    const created = await admin.post('/api/users', {
      username: 'by-label',
      password: 'by-label-password-long',
      role: 'operator',
      hostLabels: ['lab', 'lab', 'nowhere-yet'],
    });
    expect(created.statusCode, created.body).toBe(201);
    byLabelUser = created.json<UserView>();
    byLabel = await tokenFor(await login(t.app, 'by-label', 'by-label-password-long'));
    // Each of the three hosts has the container listed.
    for (const host of ['local', 'beta', 'gamma'])
      await t.hosts.get(host)?.state.refreshNow('container', container);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('keeps a user’s label grants, deduplicated, and refuses a malformed one naming the field', async () => {
    expect(byLabelUser).toMatchObject({ hosts: [], hostLabels: ['lab', 'nowhere-yet'] });
    const bad = await admin.patch(`/api/users/${byLabelUser.id}`, { hostLabels: ['Not A Label'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { message: string } }>().error.message).toContain('body.hostLabels.0');
    expect((await json<UserView>(admin, `/api/users/${byLabelUser.id}`)).hostLabels).toEqual([
      'lab',
      'nowhere-yet',
    ]);
    const me = await json<{ user: UserView }>(byLabel, '/api/me');
    expect(me.user.hostLabels).toEqual(['lab', 'nowhere-yet']);
  });

  it('shows each viewer only the hosts granted by id or by label, everywhere', async () => {
    expect(await seen(admin)).toEqual(only(['beta', 'gamma', 'local']));
    expect(await seen(byId)).toEqual(only(['local']));
    expect(await seen(byLabel)).toEqual(only(['beta']));
    // Asking for a host by name does not reveal it either.
    const asked = await json<FleetSummary>(byId, '/api/fleet?host=beta,gamma');
    expect(asked.hosts).toEqual([]);
    expect(asked.totals.hosts).toBe(0);
  });

  it('answers 404 on a host not granted, as for one that does not exist', async () => {
    for (const [client, hidden] of [
      [byId, 'beta'],
      [byLabel, 'local'],
      [byLabel, 'gamma'],
    ] as const) {
      for (const path of ['', '/containers', `/containers/${container}`, '/info', '/images']) {
        const res = await client.get(`/api/hosts/${hidden}${path}`);
        expect(res.statusCode, `${hidden}${path}`).toBe(404);
        expect(res.json<{ error: { code: string } }>().error.code).toBe('host_not_found');
      }
    }
    expect((await byLabel.get('/api/hosts/beta/containers')).statusCode).toBe(200);
    await expect(
      WsRecorder.open(t.app, '/api/hosts/local/events', byLabel.headers),
    ).rejects.toThrow();
  });

  it('follows a host’s labels at once: labelled later it is seen, unlabelled it is hidden and its streams end', async () => {
    const events = await WsRecorder.open(t.app, '/api/hosts/beta/events', byLabel.headers);
    await events.waitFor('hello', () => events.of('hello')[0]);
    // The admin's stream of the same host, which the admin still sees afterwards.
    const adminEvents = await WsRecorder.open(
      t.app,
      '/api/hosts/beta/events',
      (await tokenFor(admin, 'streams')).headers,
    );
    await adminEvents.waitFor('hello', () => adminEvents.of('hello')[0]);

    expect((await admin.patch('/api/hosts/gamma', { labels: ['lab'] })).statusCode).toBe(200);
    expect(await seen(byLabel)).toEqual(only(['beta', 'gamma']));
    expect((await byLabel.get('/api/hosts/gamma/containers')).statusCode).toBe(200);

    expect((await admin.patch('/api/hosts/beta', { labels: ['elsewhere'] })).statusCode).toBe(200);
    expect(await seen(byLabel)).toEqual(only(['gamma']));
    expect((await byLabel.get('/api/hosts/beta/containers')).statusCode).toBe(404);
    const closed = await events.whenClosed();
    expect(closed.code).toBe(1001);
    expect(closed.reason).toContain('no longer granted');
    // Closed in the same turn as the viewer's had it been closed: the admin's goes on.
    expect(adminEvents.closed).toBe(false);
    adminEvents.close();

    expect((await admin.patch('/api/hosts/gamma', { labels: [] })).statusCode).toBe(200);
    expect(await seen(byLabel)).toEqual(only([]));
  });
});
