import type { NetworkList, RotateResult, SecretView, TaskList } from '@berth/contract';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demuxLines } from '../../../docker/log-stream.js';
import { type ApiClient, setupAdmin, tokenFor } from '../../../testing/api-client.js';
import {
  startSwarmEngine,
  type SwarmEngine,
  SWARM_SETUP_TIMEOUT,
} from '../../../testing/swarm-engine.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { TEST_IMAGE } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

const VALUE = 'S3cr3t-value-of-the-first-version';
const ROTATED = 'n3w-value-after-rotation';
const THIRD = 'third-value-removes-the-old';
const SECRET_VALUES = [VALUE, ROTATED, THIRD, Buffer.from(VALUE).toString('base64')];

/** Secrets mounted into tasks and never returned, rotation, configs, overlay networks. */
describe('swarm secrets, configs and overlay networks', () => {
  let swarm: SwarmEngine;
  let t: TestApp;
  let admin: ApiClient;
  const bodies: string[] = [];
  const call = async (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse> => {
    const res = await admin.request(method, url, body);
    bodies.push(res.body);
    return res;
  };

  beforeAll(async () => {
    swarm = await startSwarmEngine();
    t = await startTestApp({ endpoint: swarm.endpoint });
    await t.hosts.get('local')?.state.whenSynced();
    admin = await tokenFor(await setupAdmin(t.app));
  }, SWARM_SETUP_TIMEOUT);
  afterAll(async () => {
    await t.close();
    await swarm.stop();
  });

  /** What a file reads inside the running task of a service (exec through the Engine API). */
  async function readInTask(service: string, path: string): Promise<string> {
    const task = await waitFor(
      `a running task of ${service}`,
      async () => {
        const list = (
          await call('GET', `/api/hosts/local/services/${service}/tasks`)
        ).json<TaskList>();
        return list.tasks.find((x) => x.state === 'running' && x.desiredState === 'running');
      },
      60_000,
    );
    const exec = await swarm.client.request<{ Id: string }>(
      'POST',
      `/containers/${task.containerId ?? ''}/exec`,
      { body: { Cmd: ['cat', path], AttachStdout: true, AttachStderr: true } },
    );
    const res = await swarm.client.stream('POST', `/exec/${exec.Id}/start`, {
      body: { Detach: false, Tty: false },
    });
    const out: string[] = [];
    for await (const line of demuxLines(res, false)) out.push(line.text);
    return out.join('\n');
  }

  it('mounts a secret into tasks and never returns its value', async () => {
    const created = await call('POST', '/api/hosts/local/secrets', {
      name: 'db_password',
      value: VALUE,
      labels: { team: 'shop' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json<{ cli: string }>().cli).toBe(
      'docker secret create --label team=shop db_password -',
    );
    const config = await call('POST', '/api/hosts/local/configs', {
      name: 'app_conf',
      value: 'mode=prod',
    });
    expect(config.statusCode, config.body).toBe(201);
    const detail = await call('GET', '/api/hosts/local/configs/app_conf');
    expect(detail.json()).toMatchObject({ name: 'app_conf', data: 'mode=prod' });

    const service = await call('POST', '/api/hosts/local/services', {
      name: 'api',
      image: TEST_IMAGE,
      command: ['sleep', '3600'],
      stopGracePeriod: '1s',
      secrets: [{ name: 'db_password' }],
      configs: [{ name: 'app_conf', target: '/etc/app.conf' }],
    });
    expect(service.statusCode, service.body).toBe(201);
    expect(service.json<{ cli: string }>().cli).toContain(
      '--secret db_password --config source=app_conf,target=/etc/app.conf',
    );
    expect(await readInTask('api', '/run/secrets/db_password')).toBe(VALUE);
    expect(await readInTask('api', '/etc/app.conf')).toBe('mode=prod');

    const list = (await call('GET', '/api/hosts/local/secrets')).json<{ secrets: SecretView[] }>();
    expect(list.secrets).toEqual([
      expect.objectContaining({
        name: 'db_password',
        version: 1,
        usedBy: [expect.objectContaining({ name: 'api' })],
      }),
    ]);
    await call('GET', '/api/hosts/local/secrets/db_password');
    await call('GET', '/api/hosts/local/services/api');
    const inUse = await call('DELETE', '/api/hosts/local/secrets/db_password');
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'secret_in_use',
      message: expect.stringContaining('api') as string,
    });
    const configInUse = await call('DELETE', '/api/hosts/local/configs/app_conf');
    expect(configInUse.statusCode).toBe(409);
  });

  it('rotates a secret: a new version, every service moved to it with the same file', async () => {
    const res = await call('POST', '/api/hosts/local/secrets/db_password/rotate', {
      value: ROTATED,
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<RotateResult>();
    expect(result.secret).toMatchObject({
      name: 'db_password-v2',
      version: 2,
      lineage: 'db_password',
    });
    expect(result.previous).toMatchObject({ name: 'db_password', removed: false });
    expect(result.services).toEqual([
      expect.objectContaining({
        name: 'api',
        ok: true,
        cli: 'docker service update --secret-rm db_password --secret-add source=db_password-v2,target=db_password api',
      }),
    ]);
    await waitFor(
      'the task reads the new value',
      async () => (await readInTask('api', '/run/secrets/db_password')) === ROTATED,
      90_000,
    );
    // The old version is free now: it can go.
    const removed = await call('DELETE', '/api/hosts/local/secrets/db_password');
    expect(removed.statusCode, removed.body).toBe(200);

    const third = await call('POST', '/api/hosts/local/secrets/db_password-v2/rotate', {
      value: Buffer.from(THIRD).toString('base64'),
      encoding: 'base64',
      removeOld: true,
    });
    expect(third.statusCode, third.body).toBe(200);
    expect(third.json<RotateResult>()).toMatchObject({
      secret: { name: 'db_password-v3', version: 3 },
      previous: { name: 'db_password-v2', removed: true },
    });
    await waitFor(
      'the task reads the third value',
      async () => (await readInTask('api', '/run/secrets/db_password')) === THIRD,
      90_000,
    );
    const names = (await call('GET', '/api/hosts/local/secrets'))
      .json<{ secrets: SecretView[] }>()
      .secrets.map((s) => s.name);
    expect(names).toEqual(['db_password-v3']);
  });

  it('creates an encrypted attachable overlay network and lists the services on it', async () => {
    const res = await call('POST', '/api/hosts/local/networks', {
      name: 'backend',
      driver: 'overlay',
      attachable: true,
      encrypted: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<{ cli: string }>().cli).toBe(
      'docker network create --driver overlay --attachable --opt encrypted backend',
    );
    const inspect = await swarm.client.request<{
      Options: Record<string, string>;
      Attachable: boolean;
    }>('GET', '/networks/backend');
    expect(inspect).toMatchObject({ Attachable: true, Options: { encrypted: '' } });
    const svc = await call('POST', '/api/hosts/local/services', {
      name: 'worker',
      image: TEST_IMAGE,
      command: ['sleep', '3600'],
      networks: ['backend'],
    });
    expect(svc.statusCode, svc.body).toBe(201);
    const networks = (await call('GET', '/api/hosts/local/networks')).json<NetworkList>().networks;
    expect(networks.find((n) => n.name === 'backend')?.services).toEqual([
      expect.objectContaining({ name: 'worker' }),
    ]);
    const detail = await call('GET', '/api/hosts/local/networks/backend');
    expect(detail.json<{ services: { name: string }[] }>().services).toEqual([
      expect.objectContaining({ name: 'worker' }),
    ]);
    const bridge = await call('POST', '/api/hosts/local/networks', {
      name: 'plain',
      driver: 'bridge',
      encrypted: true,
    });
    expect(bridge.statusCode).toBe(400);
    expect(bridge.body).toContain('body.encrypted');
  });

  it('refuses bad input naming the field, and creates nothing', async () => {
    const bad: [string, Record<string, unknown>, string][] = [
      ['secrets', { name: 'neither' }, 'body.value'],
      ['secrets', { name: 'enc', value: 'a', encoding: 'hex' }, 'body.encoding'],
      ['secrets', { name: 'bad name', value: 'a' }, 'body.name'],
      ['secrets', { name: 'b64', value: 'not base64!', encoding: 'base64' }, 'body.value'],
      ['configs', { name: 'x', value: 'a', extra: true }, 'body.extra'],
    ];
    for (const [kind, body, field] of bad) {
      const res = await call('POST', `/api/hosts/local/${kind}`, body);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(res.body).toContain(field);
    }
    const rotate = await call('POST', '/api/hosts/local/secrets/db_password-v3/rotate', {});
    expect(rotate.statusCode).toBe(400);
    expect((await call('GET', '/api/hosts/local/secrets/nope')).statusCode).toBe(404);
    const dup = await call('POST', '/api/hosts/local/secrets', {
      name: 'db_password-v3',
      value: 'x',
    });
    expect(dup.statusCode).toBe(409);
    const names = (await call('GET', '/api/hosts/local/secrets'))
      .json<{ secrets: SecretView[] }>()
      .secrets.map((s) => s.name);
    expect(names).toEqual(['db_password-v3']);
  });

  it('never answered with a secret value', () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const body of bodies) for (const value of SECRET_VALUES) expect(body).not.toContain(value);
  });
});
