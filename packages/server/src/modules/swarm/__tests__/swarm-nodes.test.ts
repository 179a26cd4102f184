import type { NodeList, SwarmNode, SwarmView } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawTask } from '../../../docker/swarm-types.js';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import {
  startSwarmEngine,
  type SwarmEngine,
  type SwarmNodeEngine,
  SWARM_SETUP_TIMEOUT,
} from '../../../testing/swarm-engine.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { TEST_IMAGE } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

/**
 * A two-node swarm: the manager on this machine, a worker in a network namespace of the
 * test's own. Needs root and `ip netns`; without them it fails saying so.
 */
describe('nodes of a multi-node swarm', () => {
  let swarm: SwarmEngine;
  let worker: SwarmNodeEngine;
  let workerHost = '';
  let t: TestApp;
  let admin: ApiClient;
  let viewer: ApiClient;

  beforeAll(async () => {
    swarm = await startSwarmEngine({ multiNode: true });
    // Joined through Berth below.
    worker = await swarm.addNode('worker', { join: false });
    t = await startTestApp({ endpoint: swarm.endpoint });
    admin = await setupAdmin(t.app);
    viewer = await userSession(admin, 'nodes-viewer', 'viewer');
  }, SWARM_SETUP_TIMEOUT);
  afterAll(async () => {
    await t?.close();
    await swarm?.stop();
  });

  const nodes = async () => (await viewer.get('/api/hosts/local/nodes')).json<NodeList>().nodes;
  const nodeOf = async (id: string) => {
    const found = (await nodes()).find((n) => n.id === id);
    if (!found) throw new Error(`node ${id} is not listed`);
    return found;
  };
  const update = async (node: SwarmNode, change: Record<string, unknown>) => {
    const res = await admin.patch(`/api/hosts/local/nodes/${node.id}`, {
      version: node.version,
      ...change,
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ node: SwarmNode; cli: string }>();
  };

  it('joins a worker through Berth: the token never in the audit log, node routes refused on it', async () => {
    const added = await admin.post('/api/hosts', {
      name: 'worker',
      kind: 'socket',
      url: `unix://${worker.engine.socketPath}`,
    });
    expect(added.statusCode, added.body).toBe(201);
    workerHost = added.json<{ id: string }>().id;
    const tokens = (await admin.get('/api/hosts/local/swarm/join-tokens')).json<{
      worker: string;
    }>();
    const url = `/api/hosts/${workerHost}/swarm/join`;
    const body = {
      remoteAddrs: [swarm.managerAddr],
      joinToken: tokens.worker,
      advertiseAddr: worker.addr,
      listenAddr: `${worker.addr}:2377`,
    };
    expect((await viewer.post(url, body)).statusCode).toBe(403);
    const joined = await admin.post(url, body);
    expect(joined.statusCode, joined.body).toBe(200);
    const result = joined.json<{ swarm: SwarmView; cli: string }>();
    expect(result.cli).toBe(
      `docker swarm join --token ${tokens.worker} --advertise-addr ${worker.addr} ${swarm.managerAddr}`,
    );
    expect(result.swarm).toMatchObject({
      state: 'active',
      manager: false,
      role: 'worker',
      cluster: null,
      quorum: null,
      remoteManagers: [{ addr: swarm.managerAddr }],
    });
    worker.nodeId = result.swarm.nodeId ?? '';
    const audit = await admin.get('/api/audit?action=swarm.join');
    expect(audit.json<{ entries: { outcome: string }[] }>().entries[0]?.outcome).toBe('success');
    expect(audit.body).not.toContain('SWMTKN');
    // A worker cannot list the swarm's nodes: it says so.
    const refused = await admin.get(`/api/hosts/${workerHost}/nodes`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('not_swarm_manager');
    const hosts = (await admin.get('/api/hosts')).json<{
      hosts: { id: string; swarm: unknown }[];
    }>().hosts;
    expect(hosts.find((h) => h.id === workerHost)?.swarm).toEqual({
      state: 'active',
      manager: false,
      clusterId: null,
      nodeId: worker.nodeId,
      role: 'worker',
    });
    // Only managers know the cluster's ID: the swarm is listed through the manager.
    const swarms = (await admin.get('/api/swarms')).json<{
      swarms: { hosts: { host: string }[] }[];
    }>();
    expect(swarms.swarms.map((c) => c.hosts.map((h) => h.host))).toEqual([['local']]);
    await waitFor(
      'the worker ready on the manager',
      async () => (await nodes()).some((n) => n.id === worker.nodeId && n.status === 'ready'),
      60_000,
      200,
    );
  });

  it('lists the worker that joined, with its address and engine', async () => {
    const listed = await nodes();
    expect(listed.map((n) => n.role)).toEqual(['manager', 'worker']);
    expect(listed[1]).toMatchObject({
      id: worker.nodeId,
      role: 'worker',
      status: 'ready',
      availability: 'active',
      addr: worker.addr,
      leader: false,
      reachability: null,
      self: false,
    });
    const s = (await viewer.get('/api/hosts/local/swarm')).json<SwarmView>();
    expect(s).toMatchObject({ nodes: 2, managers: 1, quorum: { managers: 1, canLose: 0 } });
  });

  it('promotes and demotes the worker; two managers still tolerate no loss', async () => {
    const promoted = await update(await nodeOf(worker.nodeId), { role: 'manager' });
    const hostname = promoted.node.hostname;
    expect(promoted.cli).toBe(`docker node promote ${hostname}`);
    await waitFor(
      'the new manager reachable',
      async () => (await nodeOf(worker.nodeId)).reachability === 'reachable',
      60_000,
      200,
    );
    const s = (await viewer.get('/api/hosts/local/swarm')).json<SwarmView>();
    expect(s.quorum).toMatchObject({ managers: 2, reachable: 2, needed: 2, canLose: 0 });
    expect(s.quorum?.warning).toMatch(/Losing one more manager would lose quorum/);
    const demoted = await update(await nodeOf(worker.nodeId), { role: 'worker' });
    expect(demoted.cli).toBe(`docker node demote ${hostname}`);
    await waitFor(
      'the node a worker again',
      async () => (await nodeOf(worker.nodeId)).reachability === null,
      60_000,
      200,
    );
  });

  it('labels a node', async () => {
    const labelled = await update(await nodeOf(worker.nodeId), {
      labels: { disk: 'ssd', zone: 'b' },
    });
    expect(labelled.node.labels).toEqual({ disk: 'ssd', zone: 'b' });
    expect((await nodeOf(worker.nodeId)).labels).toEqual({ disk: 'ssd', zone: 'b' });
  });

  it('drains a node: its tasks move to the other one', async () => {
    const service = await swarm.client.request<{ ID: string }>('POST', '/services/create', {
      body: {
        Name: 'spread',
        TaskTemplate: {
          ContainerSpec: { Image: TEST_IMAGE, Command: ['sleep', '3600'] },
          Placement: { Preferences: [{ Spread: { SpreadDescriptor: 'node.id' } }] },
        },
        Mode: { Replicated: { Replicas: 2 } },
      },
    });
    const running = async () => {
      const tasks = await swarm.client.request<RawTask[]>('GET', '/tasks', {
        query: { filters: JSON.stringify({ service: [service.ID], 'desired-state': ['running'] }) },
      });
      return tasks.filter((task) => task.Status.State === 'running');
    };
    await waitFor(
      'a task on each node',
      async () => new Set((await running()).map((task) => task.NodeID)).size === 2,
      90_000,
      250,
    );
    expect((await nodeOf(worker.nodeId)).tasksRunning).toBe(1);
    const drained = await update(await nodeOf(worker.nodeId), { availability: 'drain' });
    expect(drained.cli).toBe(`docker node update --availability drain ${drained.node.hostname}`);
    await waitFor(
      'both tasks on the manager',
      async () => {
        const tasks = await running();
        return tasks.length === 2 && tasks.every((task) => task.NodeID === swarm.nodeId);
      },
      90_000,
      250,
    );
    expect((await nodeOf(worker.nodeId)).tasksRunning).toBe(0);
    expect((await nodeOf(swarm.nodeId)).tasksRunning).toBe(2);
    await swarm.client.request('DELETE', `/services/${service.ID}`);
  });

  it('removes a node: refused while it is up, then forced (admins only)', async () => {
    const url = `/api/hosts/local/nodes/${worker.nodeId}`;
    expect((await viewer.delete(url)).statusCode).toBe(403);
    const refused = await admin.delete(url);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('node_busy');
    const removed = await admin.delete(`${url}?force=true`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json<{ cli: string }>().cli).toMatch(/^docker node rm --force /);
    expect((await nodes()).map((n) => n.id)).toEqual([swarm.nodeId]);
    expect((await viewer.get(url)).statusCode).toBe(404);
  });
});
