import type {
  ContainerCreated,
  ContainerDetail,
  NetworkSummary,
  PruneResult,
} from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

describe('networks with IPAM on a real engine', () => {
  const fixtures = new EngineFixtures();
  const net = fixtures.name('net');
  let t: TestApp;
  let operator: ApiClient;
  let viewer: ApiClient;
  const base = '/api/hosts/local/networks';
  const labels = (): Record<string, string> => ({ [TEST_LABEL]: fixtures.runId });

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'net-op', 'operator');
    viewer = await userSession(admin, 'net-viewer', 'viewer');
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  const summary = async (name: string): Promise<NetworkSummary | undefined> =>
    (await viewer.get(base))
      .json<{ networks: NetworkSummary[] }>()
      .networks.find((n) => n.name === name);

  it('creates a network with a subnet, and refuses one that overlaps it', async () => {
    const res = await operator.post(base, {
      name: net,
      subnet: '10.215.0.0/16',
      gateway: '10.215.0.1',
      labels: labels(),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      name: net,
      subnets: [{ subnet: '10.215.0.0/16', gateway: '10.215.0.1' }],
      cli: `docker network create --subnet 10.215.0.0/16 --gateway 10.215.0.1 --label ${TEST_LABEL}=${fixtures.runId} ${net}`,
    });
    const clash = await operator.post(base, {
      name: fixtures.name('clash'),
      subnet: '10.215.7.0/24',
      labels: labels(),
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json()).toMatchObject({
      error: {
        code: 'subnet_overlap',
        details: { overlaps: { network: net, subnet: '10.215.0.0/16' } },
      },
    });
    const hostBits = await operator.post(base, {
      name: fixtures.name('bits'),
      subnet: '10.216.0.1/24',
      labels: labels(),
    });
    expect(hostBits.statusCode).toBe(400);
    expect(hostBits.json()).toMatchObject({
      error: { details: { issues: [{ field: 'body.subnet' }] } },
    });
  });

  it('flags the /16 with hardly anyone on it as oversized', async () => {
    const n = await waitFor('listed', () => summary(net));
    expect(n.oversized?.suggestedPrefix).toBeGreaterThan(24);
  });

  it('sizes and places a subnet from the expected container count', async () => {
    const suggestion = (await viewer.get(`${base}/suggest-subnet?expectedContainers=10`)).json<{
      subnet: string;
      prefix: number;
    }>();
    expect(suggestion.prefix).toBeGreaterThanOrEqual(27);
    const res = await operator.post(base, {
      name: fixtures.name('sized'),
      expectedContainers: 10,
      labels: labels(),
    });
    expect(res.statusCode, res.body).toBe(201);
    const subnet = res.json<NetworkSummary>().subnets[0]?.subnet ?? '';
    expect(subnet.endsWith(`/${suggestion.prefix}`)).toBe(true);
    // Read your writes: the list has it at once, without waiting for the create event.
    expect(await summary(res.json<NetworkSummary>().name)).toBeDefined();
    const all = (await viewer.get(base)).json<{ networks: NetworkSummary[] }>().networks;
    expect(all.filter((n) => n.subnets.some((s) => s.subnet === subnet))).toHaveLength(1);
  });

  it('honours reservations: never handed out unless asked for by purpose', async () => {
    const first = await operator.post(`${base}/${net}/reservations`, { purpose: 'database' });
    expect(first.statusCode, first.body).toBe(201);
    const dbIp = first.json<{ ip: string }>().ip;
    expect(dbIp).toBe('10.215.0.2');
    expect(
      (await operator.post(`${base}/${net}/reservations`, { ip: '10.215.0.3', purpose: 'cache' }))
        .statusCode,
    ).toBe(201);

    const ips: string[] = [];
    for (const n of ['a', 'b']) {
      const created = await operator.post('/api/hosts/local/containers', {
        name: fixtures.name(n),
        image: TEST_IMAGE,
        command: ['sleep', '300'],
        networks: [{ name: net }],
        labels: labels(),
        stopTimeoutS: 1,
        validateSeconds: 0,
      });
      expect(created.statusCode, created.body).toBe(201);
      const spec = created.json<ContainerCreated>().container.spec;
      ips.push(spec.networks?.[0]?.ipv4Address ?? '');
    }
    expect(ips).toEqual(['10.215.0.4', '10.215.0.5']);

    const taken = await operator.post('/api/hosts/local/containers', {
      name: fixtures.name('sneaky'),
      image: TEST_IMAGE,
      networks: [{ name: net, ipv4Address: dbIp }],
      labels: labels(),
      autoStart: false,
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ error: { code: 'ip_reserved' } });

    const db = await operator.post('/api/hosts/local/containers', {
      name: fixtures.name('db'),
      image: TEST_IMAGE,
      command: ['sleep', '300'],
      networks: [{ name: net, reservation: 'database', aliases: ['db'] }],
      labels: labels(),
      stopTimeoutS: 1,
      validateSeconds: 0,
    });
    expect(db.statusCode, db.body).toBe(201);
    const dbInspect = db.json<ContainerCreated>().container.inspect as {
      NetworkSettings: { Networks: Record<string, { IPAddress: string }> };
    };
    await waitFor('db running with its address', async () => {
      const n = await summary(net);
      return n?.members.some((m) => m.name === fixtures.name('db') && m.ipv4 === dbIp);
    });
    expect(Object.keys(dbInspect.NetworkSettings.Networks)).toContain(net);

    // An edit that keeps its address is no new claim on the reservation; another container's is.
    const detail = (
      await operator.get(`/api/hosts/local/containers/${fixtures.name('db')}`)
    ).json<ContainerDetail>();
    const edited = await operator.post(
      `/api/hosts/local/containers/${fixtures.name('db')}/recreate`,
      { ...detail.spec, command: ['sleep', '301'], replace: true, validateSeconds: 1 },
    );
    expect(edited.statusCode, edited.body).toBe(200);
    expect(
      edited.json<ContainerCreated>().container.spec.networks?.find((n) => n.name === net),
    ).toMatchObject({ ipv4Address: dbIp });
    const copycat = await operator.post('/api/hosts/local/containers', {
      ...detail.spec,
      name: fixtures.name('copycat'),
      autoStart: false,
    });
    expect(copycat.statusCode).toBe(409);
    expect(copycat.json()).toMatchObject({ error: { code: 'ip_reserved' } });
  });

  it('connects a container with its reservation and disconnects it', async () => {
    const id = await fixtures.createContainer('joiner');
    await fixtures.start(id);
    const res = await operator.post(`${base}/${net}/connect`, {
      container: id,
      reservation: 'cache',
      aliases: ['cache'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      ip: '10.215.0.3',
      cli: `docker network connect --ip 10.215.0.3 --alias cache ${net} ${fixtures.name('joiner')}`,
    });
    await waitFor('member', async () =>
      (await summary(net))?.members.some((m) => m.ipv4 === '10.215.0.3'),
    );
    const off = await operator.post(`${base}/${net}/disconnect`, { container: id });
    expect(off.json()).toMatchObject({
      cli: `docker network disconnect ${net} ${fixtures.name('joiner')}`,
    });
    await waitFor(
      'gone',
      async () => !(await summary(net))?.members.some((m) => m.ipv4 === '10.215.0.3'),
    );
  });

  it('draws the topology and writes the network document', async () => {
    const topology = (await viewer.get(`${base}/topology`)).json<{
      nodes: { kind: string; name: string }[];
      edges: { ip: string | null; aliases: string[] }[];
    }>();
    expect(topology.nodes.some((n) => n.kind === 'network' && n.name === net)).toBe(true);
    expect(topology.edges.some((e) => e.ip === '10.215.0.2' && e.aliases.includes('db'))).toBe(
      true,
    );
    const doc = await viewer.get(`${base}/document`);
    expect(doc.headers['content-type']).toMatch(/^text\/markdown/);
    expect(doc.body).toContain(net);
    expect(doc.body).toContain('10.215.0.0/16');
    expect(doc.body).toContain('database');
  });

  it('refuses to remove built-in or used networks, and prunes what the dry run listed', async () => {
    expect((await operator.delete(`${base}/bridge`)).json()).toMatchObject({
      error: { code: 'built_in_network' },
    });
    expect((await operator.delete(`${base}/${net}`)).json()).toMatchObject({
      error: { code: 'network_in_use' },
    });
    // Other suites share the engine: only this run's networks are pruned (--filter label=…).
    const label = `${TEST_LABEL}=${fixtures.runId}`;
    const dry = (await operator.post(`${base}/prune`, { dryRun: true, label })).json<PruneResult>();
    expect(dry.removed.map((r) => r.name)).toContain(fixtures.name('sized'));
    expect(dry.removed.map((r) => r.name)).not.toContain(net);
    expect(dry.cli).toMatch(/^docker network prune --filter '?label=/);
    expect(dry.cli).toContain(label);
    const real = (
      await operator.post(`${base}/prune`, { dryRun: false, label })
    ).json<PruneResult>();
    expect(real.removed.map((r) => r.name).sort()).toEqual(dry.removed.map((r) => r.name).sort());
  });

  it("lists a network's reservations and releases one; a second release is a 404", async () => {
    const own = fixtures.name('resv');
    const created = await operator.post(base, {
      name: own,
      subnet: '10.216.77.0/24',
      labels: labels(),
    });
    expect(created.statusCode, created.body).toBe(201);
    const made = await operator.post(`${base}/${own}/reservations`, { purpose: 'web' });
    expect(made.statusCode, made.body).toBe(201);
    const { ip } = made.json<{ ip: string }>();
    expect((await viewer.get(`${base}/${own}/reservations`)).json()).toMatchObject({
      reservations: [{ ip, purpose: 'web' }],
    });
    expect((await operator.delete(`${base}/${own}/reservations/${ip}`)).statusCode).toBe(204);
    expect((await viewer.get(`${base}/${own}/reservations`)).json()).toEqual({ reservations: [] });
    const again = await operator.delete(`${base}/${own}/reservations/${ip}`);
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({
      error: { code: 'reservation_not_found', message: `${ip} is not reserved in ${own}` },
    });
    expect((await operator.delete(`${base}/${own}`)).statusCode).toBe(200);
  });

  it('keeps viewers to reading', async () => {
    expect((await viewer.post(base, { name: 'nope' })).statusCode).toBe(403);
    expect((await viewer.post(`${base}/${net}/reservations`, { purpose: 'x' })).statusCode).toBe(
      403,
    );
  });
});
