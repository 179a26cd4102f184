import type { JoinTokens, NodeList, SwarmClusterList, SwarmView } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { freePort } from '../../../testing/free-port.js';
import {
  startSwarmEngine,
  type SwarmEngine,
  SWARM_SETUP_TIMEOUT,
} from '../../../testing/swarm-engine.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';

/** A one-node swarm on an engine of this file's own: inspect, tokens, nodes, leave and init. */
describe('swarm of a host (one-node swarm)', () => {
  let swarm: SwarmEngine;
  let t: TestApp;
  let admin: ApiClient;
  let operator: ApiClient;
  let viewer: ApiClient;

  beforeAll(async () => {
    swarm = await startSwarmEngine();
    t = await startTestApp({ endpoint: swarm.endpoint });
    admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'swarm-op', 'operator');
    viewer = await userSession(admin, 'swarm-viewer', 'viewer');
  }, SWARM_SETUP_TIMEOUT);
  afterAll(async () => {
    await t?.close();
    await swarm?.stop();
  });

  const view = async (client = viewer) => {
    const res = await client.get('/api/hosts/local/swarm');
    expect(res.statusCode).toBe(200);
    return res.json<SwarmView>();
  };

  it('shows the swarm, its one manager and the quorum warning, never the join tokens', async () => {
    const res = await viewer.get('/api/hosts/local/swarm');
    expect(res.body).not.toContain('SWMTKN');
    const s = res.json<SwarmView>();
    expect(s).toMatchObject({
      state: 'active',
      manager: true,
      role: 'manager',
      nodeId: swarm.nodeId,
      nodeAddr: '127.0.0.1',
      nodes: 1,
      managers: 1,
      quorum: { managers: 1, reachable: 1, needed: 1, canLose: 0 },
    });
    expect(s.cluster?.id).toMatch(/^[a-z0-9]{25}$/);
    expect(s.quorum?.warning).toMatch(/single manager/);
    // The hosts list carries the membership.
    const hosts = (await viewer.get('/api/hosts')).json<{
      hosts: { id: string; swarm: unknown }[];
    }>().hosts;
    expect(hosts.find((h) => h.id === 'local')?.swarm).toEqual({
      state: 'active',
      manager: true,
      clusterId: s.cluster?.id,
      nodeId: swarm.nodeId,
      role: 'manager',
    });
  });

  it('reveals the join tokens to admins only, audited as a read of secrets', async () => {
    for (const client of [viewer, operator]) {
      const denied = await client.get('/api/hosts/local/swarm/join-tokens');
      expect(denied.statusCode).toBe(403);
      expect(denied.body).not.toContain('SWMTKN');
    }
    const res = await admin.get('/api/hosts/local/swarm/join-tokens');
    expect(res.statusCode).toBe(200);
    const tokens = res.json<JoinTokens>();
    expect(tokens.worker).toMatch(/^SWMTKN-1-/);
    expect(tokens.manager).toMatch(/^SWMTKN-1-/);
    expect(tokens.worker).not.toBe(tokens.manager);
    expect(tokens.managerAddrs).toEqual([swarm.managerAddr]);
    expect(tokens.commands.worker).toBe(
      `docker swarm join --token ${tokens.worker} ${swarm.managerAddr}`,
    );
    const audit = await admin.get('/api/audit?action=swarm.join_tokens_read');
    const entries = audit.json<{ entries: { outcome: string; target: string }[] }>().entries;
    expect(entries[0]).toMatchObject({ outcome: 'success', target: 'local' });
    expect(audit.body).not.toContain('SWMTKN');
  });

  it('rotates one join token: the other stays, the old one is gone', async () => {
    const before = (await admin.get('/api/hosts/local/swarm/join-tokens')).json<JoinTokens>();
    expect(
      (await operator.post('/api/hosts/local/swarm/join-tokens/rotate', { role: 'worker' }))
        .statusCode,
    ).toBe(403);
    const res = await admin.post('/api/hosts/local/swarm/join-tokens/rotate', { role: 'worker' });
    expect(res.statusCode).toBe(200);
    const rotated = res.json<{ tokens: JoinTokens; cli: string }>();
    expect(rotated.cli).toBe('docker swarm join-token --rotate worker');
    expect(rotated.tokens.worker).not.toBe(before.worker);
    expect(rotated.tokens.manager).toBe(before.manager);
    const raw = await swarm.client.request<{ JoinTokens: { Worker: string } }>('GET', '/swarm');
    expect(raw.JoinTokens.Worker).toBe(rotated.tokens.worker);
  });

  it('lists the node and changes its labels and availability against its version', async () => {
    const list = (await viewer.get('/api/hosts/local/nodes')).json<NodeList>();
    expect(list.nodes).toHaveLength(1);
    const [node] = list.nodes;
    expect(node).toMatchObject({
      id: swarm.nodeId,
      role: 'manager',
      availability: 'active',
      status: 'ready',
      leader: true,
      reachability: 'reachable',
      self: true,
      tasksRunning: 0,
    });
    if (!node) throw new Error('no node');
    expect(node.engineVersion).toMatch(/^\d+\./);
    const byName = await viewer.get(`/api/hosts/local/nodes/${node.hostname}`);
    expect(byName.json<{ id: string }>().id).toBe(node.id);

    const url = `/api/hosts/local/nodes/${node.id}`;
    const promote = await operator.patch(url, { version: node.version, role: 'worker' });
    expect(promote.statusCode).toBe(403);
    expect(promote.json<{ error: { message: string } }>().error.message).toMatch(/admin role/);
    expect((await viewer.patch(url, { version: node.version, labels: {} })).statusCode).toBe(403);
    // Labels and availability are an operator's to change.
    const labelled = await operator.patch(url, { version: node.version, labels: { zone: 'a' } });
    expect(labelled.statusCode).toBe(200);
    const after = labelled.json<{ node: { labels: object; version: number }; cli: string }>();
    expect(after.node.labels).toEqual({ zone: 'a' });
    expect(after.cli).toBe(`docker node update --label-add zone=a ${node.hostname}`);
    // The version read before the change is stale now: a clear 409, nothing changed.
    const stale = await admin.patch(url, { version: node.version, availability: 'drain' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<{ error: { code: string } }>().error.code).toBe('stale_version');
    const drained = await admin.patch(url, { version: after.node.version, availability: 'pause' });
    expect(drained.statusCode).toBe(200);
    expect(drained.json<{ cli: string }>().cli).toBe(
      `docker node update --availability pause ${node.hostname}`,
    );
    const back = drained.json<{ node: { version: number } }>().node;
    const relabelled = await admin.patch(url, {
      version: back.version,
      availability: 'active',
      labels: {},
    });
    expect(relabelled.json<{ cli: string }>().cli).toBe(
      `docker node update --availability active --label-rm zone ${node.hostname}`,
    );
    // The last manager cannot be demoted: the engine's refusal is a 409 that says so.
    const current = (await viewer.get(url)).json<{ version: number }>();
    const demote = await admin.patch(url, { version: current.version, role: 'worker' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json<{ error: { message: string } }>().error.message).toMatch(/last manager/);
    expect((await viewer.get('/api/hosts/local/nodes/nosuchnode')).statusCode).toBe(404);
  });

  it('refuses bad input with a 4xx naming the field, and changes nothing', async () => {
    const before = await view();
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/hosts/local/swarm/init', {}, 'body.advertiseAddr'],
      ['POST', '/api/hosts/local/swarm/init', { advertiseAddr: 'a b' }, 'body.advertiseAddr'],
      [
        'POST',
        '/api/hosts/local/swarm/init',
        { advertiseAddr: '127.0.0.1', defaultAddrPool: ['10.0.0.0'] },
        'body.defaultAddrPool.0',
      ],
      [
        'POST',
        '/api/hosts/local/swarm/join',
        { remoteAddrs: [], joinToken: 'x' },
        'body.remoteAddrs',
      ],
      [
        'POST',
        '/api/hosts/local/swarm/join',
        { remoteAddrs: ['10.0.0.1:2377'], joinToken: 'not-a-token' },
        'body.joinToken',
      ],
      ['POST', '/api/hosts/local/swarm/leave', {}, 'body.force'],
      ['POST', '/api/hosts/local/swarm/leave', { force: 'yes' }, 'body.force'],
      ['POST', '/api/hosts/local/swarm/join-tokens/rotate', { role: 'boss' }, 'body.role'],
      ['PATCH', `/api/hosts/local/nodes/${swarm.nodeId}`, { role: 'manager' }, 'body.version'],
      ['PATCH', `/api/hosts/local/nodes/${swarm.nodeId}`, { version: 1 }, 'body.role'],
      [
        'PATCH',
        `/api/hosts/local/nodes/${swarm.nodeId}`,
        { version: 1, availability: 'asleep' },
        'body.availability',
      ],
      [
        'PATCH',
        `/api/hosts/local/nodes/${swarm.nodeId}`,
        { version: 1, labels: { 'a=b': 'c' } },
        'body.labels.a=b',
      ],
      ['DELETE', `/api/hosts/local/nodes/${swarm.nodeId}?force=maybe`, undefined, 'query.force'],
      ['GET', '/api/hosts/local/nodes/bad%20id', undefined, 'params.id'],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await admin.request(method as 'POST', url, body);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBe(400);
      const issues = res.json<{ error: { details: { issues: { field: string }[] } } }>().error
        .details.issues;
      expect(
        issues.map((i) => i.field),
        `${method} ${url}`,
      ).toContain(field);
    }
    const after = await view();
    expect(after.cluster).toEqual(before.cluster);
    expect(after.nodes).toBe(1);
  });

  it('shows one cluster in /api/swarms however many hosts reach it', async () => {
    const added = await admin.post('/api/hosts', {
      name: 'manager-again',
      kind: 'socket',
      url: `unix://${swarm.engine.socketPath}`,
      allowDuplicate: true,
    });
    expect(added.statusCode).toBe(201);
    const id = added.json<{ id: string }>().id;
    const cluster = (await view()).cluster;
    const swarms = await waitForSwarms(admin, (list) =>
      list.swarms[0]?.hosts.length === 2 ? list : undefined,
    );
    expect(swarms.swarms).toHaveLength(1);
    expect(swarms.swarms[0]).toMatchObject({
      clusterId: cluster?.id,
      nodes: 1,
      managers: 1,
      quorum: { canLose: 0 },
    });
    expect(swarms.swarms[0]?.hosts.map((h) => h.host).sort()).toEqual([id, 'local'].sort());
    // A viewer granted only `local` sees the cluster through local alone.
    const mine = (await viewer.get('/api/swarms')).json<SwarmClusterList>();
    expect(mine.swarms[0]?.hosts.map((h) => h.host)).toEqual(['local']);
    expect((await admin.delete(`/api/hosts/${id}`)).statusCode).toBe(204);
  });

  it('leaves (force needed as the last manager) and inits again, pushed on the events stream', async () => {
    const token = await tokenFor(viewer, 'events');
    const events = await WsRecorder.open(t.app, '/api/hosts/local/events', token.headers);
    try {
      expect(
        (await operator.post('/api/hosts/local/swarm/leave', { force: true })).statusCode,
      ).toBe(403);
      const refused = await admin.post('/api/hosts/local/swarm/leave', { force: false });
      expect(refused.statusCode).toBe(409);
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('last_manager');
      const left = await admin.post('/api/hosts/local/swarm/leave', { force: true });
      expect(left.statusCode).toBe(200);
      expect(left.json<{ cli: string; swarm: SwarmView }>()).toMatchObject({
        cli: 'docker swarm leave --force',
        swarm: { state: 'inactive', manager: false, nodeId: null, cluster: null, quorum: null },
      });
      await events.waitFor('the swarm message', () =>
        events.of('swarm').find((m) => (m.swarm as { state: string }).state === 'inactive'),
      );
      // Node routes on a host that is not a manager say so.
      const nodes = await viewer.get('/api/hosts/local/nodes');
      expect(nodes.statusCode).toBe(409);
      expect(nodes.json<{ error: { code: string; message: string } }>().error).toMatchObject({
        code: 'not_swarm_manager',
        message: expect.stringMatching(/not a swarm manager/) as unknown,
      });
      expect((await admin.get('/api/hosts/local/swarm/join-tokens')).statusCode).toBe(409);
      expect((await admin.get('/api/swarms')).json<SwarmClusterList>().swarms).toEqual([]);
      const again = await admin.post('/api/hosts/local/swarm/leave', { force: true });
      expect(again.json<{ error: { code: string } }>().error.code).toBe('not_in_swarm');

      const addr = `127.0.0.1:${await freePort()}`;
      const init = await admin.post('/api/hosts/local/swarm/init', {
        advertiseAddr: addr,
        listenAddr: addr,
        defaultAddrPool: ['10.231.0.0/16'],
        subnetSize: 24,
      });
      expect(init.statusCode).toBe(200);
      const made = init.json<{ cli: string; swarm: SwarmView }>();
      expect(made.cli).toBe(
        `docker swarm init --advertise-addr ${addr} --listen-addr ${addr} --default-addr-pool 10.231.0.0/16 --default-addr-pool-mask-length 24`,
      );
      expect(made.swarm).toMatchObject({ state: 'active', manager: true, nodes: 1 });
      expect(made.swarm.cluster?.defaultAddrPool).toEqual(['10.231.0.0/16']);
      await events.waitFor('the swarm message of the new swarm', () =>
        events
          .of('swarm')
          .find(
            (m) => (m.swarm as { clusterId: string | null }).clusterId === made.swarm.cluster?.id,
          ),
      );
      const twice = await admin.post('/api/hosts/local/swarm/init', { advertiseAddr: addr });
      expect(twice.statusCode).toBe(409);
      expect(twice.json<{ error: { code: string } }>().error.code).toBe('already_in_swarm');
      const audit = await admin.get('/api/audit?action=swarm.');
      const actions = audit.json<{ entries: { action: string; outcome: string }[] }>().entries;
      expect(actions.map((e) => e.action)).toEqual(
        expect.arrayContaining(['swarm.init', 'swarm.leave', 'swarm.join_token_rotate']),
      );
    } finally {
      events.close();
    }
  });
});

async function waitForSwarms(
  client: ApiClient,
  check: (list: SwarmClusterList) => SwarmClusterList | undefined,
): Promise<SwarmClusterList> {
  return waitFor('the swarms list', async () =>
    check((await client.get('/api/swarms')).json<SwarmClusterList>()),
  );
}
