import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  AuditEntry,
  SwarmStackDeployResult,
  SwarmStackDetail,
  SwarmStackList,
  SwarmStackPlan,
  SwarmStackRemoveResult,
} from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawNetwork } from '../../../docker/engine-types.js';
import type { RawSecret, RawService, RawTask } from '../../../docker/swarm-types.js';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { dockerCliOn } from '../../../testing/docker-cli.js';
import {
  startSwarmEngine,
  type SwarmEngine,
  SWARM_SETUP_TIMEOUT,
} from '../../../testing/swarm-engine.js';
import { TEST_IMAGE } from '../../../testing/test-engine.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { waitFor } from '../../../testing/wait-for.js';

const compose = (replicas: number, greeting: string) => `services:
  web:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
    environment:
      GREETING: ${greeting}
    labels:
      role: frontend
    networks: [front]
    secrets:
      - source: token
        target: api-token
    configs:
      - source: motd
        target: /etc/motd
    deploy:
      replicas: ${replicas}
      labels:
        tier: web
      placement:
        constraints: [node.role == manager]
      resources:
        limits: { cpus: '0.5', memory: 64M }
        reservations: { memory: 16M }
      update_config: { parallelism: 1, delay: 1s, order: start-first, failure_action: rollback }
      restart_policy: { condition: on-failure, delay: 2s, max_attempts: 3 }
  agent:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
    container_name: agent-one
    restart: always
    links: [web]
    depends_on: [web]
    deploy:
      mode: global
    networks: [front]
networks:
  front: {}
secrets:
  token:
    file: ./token.txt
configs:
  motd:
    file: ./motd.txt
`;
const FILES = { 'token.txt': 's3cret-token\n', 'motd.txt': 'welcome aboard\n' };

describe('swarm stacks: a Berth stack deployed to a swarm, as docker stack deploy does', () => {
  let swarm: SwarmEngine;
  let t: TestApp;
  let operator: ApiClient;
  let admin: ApiClient;
  let dockerHost: string;
  let refDir: string;
  const base = '/api/hosts/local/swarm-stacks';
  const docker = (args: string[], cwd?: string) => dockerCliOn(dockerHost, args, cwd);
  const services = (ns: string) =>
    swarm.client.request<RawService[]>('GET', '/services', {
      query: { filters: JSON.stringify({ label: [`com.docker.stack.namespace=${ns}`] }) },
    });
  const service = async (name: string) => {
    const found = (await swarm.client.request<RawService[]>('GET', '/services')).find(
      (s) => s.Spec.Name === name,
    );
    if (!found) throw new Error(`no service ${name}`);
    return found;
  };
  /** Waits for the tasks, saying where each one is when they do not get there. */
  const running = async (what: string, ok: () => Promise<boolean>) => {
    try {
      await waitFor(what, ok, 90_000, 250);
    } catch (err) {
      const tasks = await swarm.client.request<RawTask[]>('GET', '/tasks');
      const states = tasks.map(
        (t) => `${t.ServiceID.slice(0, 6)} ${t.Status.State} ${t.Status.Err ?? t.Status.Message}`,
      );
      throw new Error(`${String(err)}; tasks: ${states.join(' | ')}`);
    }
  };
  const plan = async (prune = false) => {
    const res = await operator.post(`${base}/shop/plan`, { source: { stack: 'shop' }, prune });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<SwarmStackPlan>();
  };

  beforeAll(async () => {
    swarm = await startSwarmEngine();
    dockerHost = `unix://${swarm.engine.socketPath}`;
    t = await startTestApp({ endpoint: swarm.endpoint });
    admin = await setupAdmin(t.app);
    operator = await tokenFor(await userSession(admin, 'swarm-op', 'operator'));
    const created = await operator.post('/api/hosts/local/stacks', {
      name: 'shop',
      files: { 'compose.yaml': compose(2, 'hello'), ...FILES },
    });
    expect(created.statusCode, created.body).toBe(201);
    refDir = await mkdtemp(join(tmpdir(), 'berth-swarm-ref-'));
    await writeFile(join(refDir, 'compose.yaml'), compose(2, 'hello'));
    for (const [name, text] of Object.entries(FILES)) await writeFile(join(refDir, name), text);
  }, SWARM_SETUP_TIMEOUT);
  afterAll(async () => {
    await t?.close();
    await swarm?.stop();
    if (refDir) await rm(refDir, { recursive: true, force: true });
  });

  it('plans the creates and names what swarm does not honour', async () => {
    const shown = await plan();
    expect(shown.objects.map((o) => `${o.action} ${o.kind} ${o.name}`)).toEqual([
      'create network shop_front',
      'create secret shop_token',
      'create config shop_motd',
      'create service shop_agent',
      'create service shop_web',
    ]);
    expect(shown.unchanged).toBe(false);
    expect(shown.unsupported.map((u) => `${u.service}.${u.field}`).sort()).toEqual([
      'agent.container_name',
      'agent.depends_on.web',
      'agent.links',
      'agent.restart',
    ]);
    expect(shown.unsupported.find((u) => u.field === 'depends_on.web')?.message).toBe(
      'swarm starts services in no order',
    );
    expect(shown.cli).toBe(
      `docker stack deploy -c ${join(t.stacksDir, 'local', 'shop', 'compose.yaml')} --resolve-image never shop`,
    );
  });

  it('plans from files given inline, under any namespace; a secret file missing is a 422', async () => {
    const files = {
      'compose.yaml': `services:\n  one:\n    image: ${TEST_IMAGE}\n    secrets: [s]\nsecrets:\n  s:\n    file: ./s.txt\n`,
      's.txt': 'value',
    };
    const res = await operator.post(`${base}/inline/plan`, { source: { files } });
    expect(res.statusCode, res.body).toBe(200);
    const shown = res.json<SwarmStackPlan>();
    expect(shown.objects.map((o) => `${o.action} ${o.kind} ${o.name}`)).toEqual([
      'create network inline_default',
      'create secret inline_s',
      'create service inline_one',
    ]);
    expect(shown.cli).toBe('docker stack deploy -c compose.yaml --resolve-image never inline');
    const missing = await operator.post(`${base}/inline/plan`, {
      source: { files: { 'compose.yaml': files['compose.yaml'] } },
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'swarm_stack_file_missing',
      message: 'The file of s (s.txt) is not in the stack',
    });
    const unknown = await operator.post(`${base}/inline/plan`, { source: { stack: 'nope' } });
    expect(unknown.statusCode).toBe(404);
  });

  it('deploys the plan shown: docker stack ls and ps see the stack, its tasks run', async () => {
    const shown = await plan();
    const res = await operator.post(`${base}/shop/deploy`, {
      source: { stack: 'shop' },
      planId: shown.planId,
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<SwarmStackDeployResult>();
    expect(result.ok).toBe(true);
    expect(result.results.map((r) => `${r.kind} ${r.name} ${r.status}`)).toEqual([
      'network shop_front done',
      'secret shop_token done',
      'config shop_motd done',
      'service shop_agent done',
      'service shop_web done',
    ]);
    expect(result.cli).toBe(shown.cli);
    // A plan is applied once.
    const again = await operator.post(`${base}/shop/deploy`, {
      source: { stack: 'shop' },
      planId: shown.planId,
    });
    expect(again.statusCode).toBe(409);

    const ls = await docker(['stack', 'ls', '--format', '{{.Name}} {{.Services}}']);
    expect(ls.stdout.trim().split('\n')).toContain('shop 2');
    await running('three tasks running', async () => {
      const list = (await operator.get(base)).json<SwarmStackList>();
      const shop = list.stacks.find((s) => s.name === 'shop');
      return shop?.tasksRunning === 3 && shop.tasksDesired === 3;
    });
    const ps = await docker(['stack', 'ps', 'shop', '--format', '{{.Name}} {{.CurrentState}}']);
    const lines = ps.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('shop_web.'))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('shop_agent.'))).toHaveLength(1);
    expect(lines.every((l) => l.includes('Running'))).toBe(true);

    const detail = (await operator.get(`${base}/shop`)).json<SwarmStackDetail>();
    expect(detail.services.map((s) => [s.service, s.mode, s.replicas, s.running])).toEqual([
      ['agent', 'global', 1, 1],
      ['web', 'replicated', 2, 2],
    ]);
    expect(detail.networks.map((n) => [n.name, n.driver, n.scope])).toEqual([
      ['shop_front', 'overlay', 'swarm'],
    ]);
    expect(detail.secrets.map((s) => s.name)).toEqual(['shop_token']);
    expect(detail.configs.map((s) => s.name)).toEqual(['shop_motd']);
    const audit = (await admin.get('/api/audit?action=swarm-stack.deploy')).json<{
      entries: AuditEntry[];
    }>();
    expect(audit.entries[0]).toMatchObject({ action: 'swarm-stack.deploy', target: 'local/shop' });
  }, 150_000);

  it('sets what docker stack deploy sets: the same labels and spec fields', async () => {
    const ref = await docker(
      ['stack', 'deploy', '-c', 'compose.yaml', '--resolve-image', 'never', 'ref'],
      refDir,
    );
    expect(ref.code, ref.stderr).toBe(0);
    // The CLI ignores what Berth's plan named.
    expect(ref.stderr).toMatch(/Ignoring unsupported options: .*links/);
    expect(ref.stderr).toMatch(/restart/);
    const names = await swarm.client.request<RawNetwork[]>('GET', '/networks');
    const netName = new Map(names.map((n) => [n.Id, n.Name]));
    const shape = async (name: string, ns: string) => {
      const spec = (await service(`${ns}_${name}`)).Spec;
      const task = spec.TaskTemplate;
      const swap = (v: unknown): unknown =>
        JSON.parse(JSON.stringify(v ?? null).replaceAll(ns, 'NS')) as unknown;
      return swap({
        Labels: spec.Labels,
        ContainerLabels: task.ContainerSpec.Labels,
        Mode: spec.Mode,
        UpdateConfig: spec.UpdateConfig,
        RollbackConfig: spec.RollbackConfig,
        Env: task.ContainerSpec.Env,
        Args: task.ContainerSpec.Args,
        Command: task.ContainerSpec.Command,
        Resources: task.Resources,
        RestartPolicy: task.RestartPolicy,
        Placement: task.Placement,
        Networks: task.Networks?.map((n) => ({ ...n, Target: netName.get(n.Target) })),
        Secrets: task.ContainerSpec.Secrets?.map((s) => ({ ...s, SecretID: undefined })),
        Configs: task.ContainerSpec.Configs?.map((s) => ({ ...s, ConfigID: undefined })),
        EndpointMode: spec.EndpointSpec?.Mode ?? 'vip',
      });
    };
    for (const name of ['web', 'agent'])
      expect(await shape(name, 'shop')).toEqual(await shape(name, 'ref'));
    const labelsOf = async (kind: 'secrets' | 'configs', name: string) =>
      (await swarm.client.request<RawSecret[]>('GET', `/${kind}`)).find((s) => s.Spec.Name === name)
        ?.Spec.Labels?.['com.docker.stack.namespace'];
    expect(await labelsOf('secrets', 'shop_token')).toBe('shop');
    expect(await labelsOf('secrets', 'ref_token')).toBe('ref');
    expect(await labelsOf('configs', 'ref_motd')).toBe('ref');
    const network = (name: string) => names.find((n) => n.Name === name);
    expect(network('shop_front')?.Labels).toEqual({ 'com.docker.stack.namespace': 'shop' });
    expect(network('ref_front')?.Labels).toEqual({ 'com.docker.stack.namespace': 'ref' });
    expect(network('shop_front')).toMatchObject({ Driver: 'overlay', Scope: 'swarm' });
    // And the reference stack is Berth's to see: listed, and unchanged when planned from the same files.
    const list = (await operator.get(base)).json<SwarmStackList>();
    expect(list.stacks.map((s) => s.name)).toEqual(['ref', 'shop']);
    const same = await operator.post(`${base}/ref/plan`, { source: { stack: 'shop' } });
    expect(same.statusCode, same.body).toBe(200);
    const refPlan = same.json<SwarmStackPlan>();
    expect(refPlan.objects.filter((o) => o.action !== 'unchanged')).toEqual([]);
    expect(refPlan.objects.find((o) => o.kind === 'secret')?.message).toContain('outside Berth');
    const rm = await docker(['stack', 'rm', 'ref']);
    expect(rm.code, rm.stderr).toBe(0);
  }, 120_000);

  it('plans nothing for a deployed stack, then an update for changed replicas and env, and applies it', async () => {
    expect((await plan()).objects.filter((o) => o.action !== 'unchanged')).toEqual([]);
    const put = await operator.request('PUT', '/api/hosts/local/stacks/shop', {
      files: { 'compose.yaml': compose(3, 'bonjour') },
    });
    expect(put.statusCode, put.body).toBe(200);
    const shown = await plan();
    const web = shown.objects.find((o) => o.name === 'shop_web');
    expect(web?.action).toBe('update');
    expect(web?.changes).toEqual([
      { field: 'Mode.Replicated.Replicas', before: '2', after: '3' },
      { field: 'TaskTemplate.ContainerSpec.Env.GREETING', before: '(set)', after: '(set)' },
    ]);
    expect(shown.objects.filter((o) => o.action === 'update').map((o) => o.name)).toEqual([
      'shop_web',
    ]);
    const before = (await service('shop_web')).Version.Index;
    const res = await operator.post(`${base}/shop/deploy`, {
      source: { stack: 'shop' },
      planId: shown.planId,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res.json<SwarmStackDeployResult>().results.find((r) => r.name === 'shop_web'),
    ).toMatchObject({ action: 'update', status: 'done' });
    const after = await service('shop_web');
    expect(after.Version.Index).toBeGreaterThan(before);
    expect(after.Spec.TaskTemplate.ContainerSpec.Env).toEqual(['GREETING=bonjour']);
    await running('three web tasks running', async () => {
      const detail = (await operator.get(`${base}/shop`)).json<SwarmStackDetail>();
      const s = detail.services.find((x) => x.service === 'web');
      return s?.replicas === 3 && s.running === 3;
    });
  }, 150_000);

  it('removes the stack as docker stack rm does: services, networks, secrets, configs', async () => {
    const res = await operator.delete(`${base}/shop`);
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<SwarmStackRemoveResult>();
    expect(result).toMatchObject({ ok: true, cli: 'docker stack rm shop' });
    expect(result.results.map((r) => `${r.kind} ${r.name}`)).toEqual([
      'service shop_agent',
      'service shop_web',
      'network shop_front',
      'secret shop_token',
      'config shop_motd',
    ]);
    const ls = await docker(['stack', 'ls', '--format', '{{.Name}}']);
    expect(ls.stdout.split('\n')).not.toContain('shop');
    expect(await services('shop')).toEqual([]);
    // The manager removes a swarm network once the tasks on it are gone.
    await waitFor(
      'shop_front removed',
      async () =>
        !(await swarm.client.request<RawNetwork[]>('GET', '/networks')).some(
          (n) => n.Name === 'shop_front',
        ),
      60_000,
      250,
    );
    const secrets = await swarm.client.request<RawSecret[]>('GET', '/secrets');
    expect(secrets.map((s) => s.Spec.Name)).not.toContain('shop_token');
    expect((await operator.get(`${base}/shop`)).statusCode).toBe(404);
  });
});
