import type { AuditPage, ContainerCreated, HostSecurityView } from '@berth/contract';
import type { LightMyRequestResponse } from 'fastify';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import {
  EngineFixtures,
  TEST_IMAGE,
  TEST_LABEL,
  testSocketPath,
} from '../../../testing/test-engine.js';

interface Refusal {
  error: { code: string; message: string; details: { field: string; setting: string } };
}

describe('host security settings: creating containers on a real engine', () => {
  const fixtures = new EngineFixtures();
  const root = mkdtempSync(join(tmpdir(), 'berth-policy-'));
  const allowed = join(root, 'allowed');
  const outside = join(root, 'outside');
  let t: TestApp;
  let admin: ApiClient;
  let operator: ApiClient;
  let viewer: ApiClient;
  const base = '/api/hosts/local/containers';
  const security = '/api/hosts/local/security';
  let n = 0;
  const body = (more: Record<string, unknown>): Record<string, unknown> => ({
    name: fixtures.name(`c${++n}`),
    image: TEST_IMAGE,
    command: ['sleep', '300'],
    labels: { [TEST_LABEL]: fixtures.runId },
    stopTimeoutS: 1,
    autoStart: false,
    ...more,
  });
  const bind = (source: string) => ({ type: 'bind', source, target: '/mnt', readOnly: true });
  const exists = async (name: unknown): Promise<boolean> =>
    (await fixtures.listOwnContainers()).some((c) => c.Names[0] === `/${String(name)}`);
  const setPolicy = async (settings: Record<string, unknown>): Promise<void> => {
    const res = await admin.request('PUT', security, settings);
    expect(res.statusCode, res.body).toBe(200);
  };

  /** The 403 names the field and the setting, and nothing was created. */
  async function expectRefused(
    client: ApiClient,
    spec: Record<string, unknown>,
    field: string,
    setting: string,
  ): Promise<Refusal> {
    const res = await client.post(base, spec);
    expect(res.statusCode, `${field}: ${res.body}`).toBe(403);
    const refusal = res.json<Refusal>();
    expect(refusal.error).toMatchObject({
      code: 'forbidden_by_host_policy',
      details: { field, setting },
    });
    expect(refusal.error.message).toContain(`host setting "${setting}"`);
    expect(await exists(spec.name)).toBe(false);
    return refusal;
  }
  const expectCreated = async (client: ApiClient, spec: Record<string, unknown>) => {
    const res: LightMyRequestResponse = await client.post(base, spec);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ContainerCreated>().container;
  };

  beforeAll(async () => {
    mkdirSync(join(allowed, 'sub'), { recursive: true });
    mkdirSync(`${allowed}x`);
    mkdirSync(outside);
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'pol-op', 'operator');
    viewer = await userSession(admin, 'pol-viewer', 'viewer');
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  it('starts from defaults that refuse everything host-level, readable by anyone who sees the host', async () => {
    const res = await viewer.get(security);
    expect(res.statusCode).toBe(200);
    expect(res.json<HostSecurityView>()).toEqual({
      host: 'local',
      settings: {
        bindMounts: [],
        engineSocket: false,
        capabilities: [],
        devices: [],
        hostNamespaces: [],
        securityOptions: false,
        sysctls: false,
      },
      updatedAt: null,
      updatedBy: null,
    });
  });

  it('lets only admins change them, validates the body and audits the change', async () => {
    expect((await operator.request('PUT', security, { sysctls: true })).statusCode).toBe(403);
    const bad = await admin.request('PUT', security, { bindMounts: ['relative/path'], x: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('body.bindMounts.0'),
    });
    expect((await admin.request('PUT', '/api/hosts/nope/security', {})).statusCode).toBe(404);
    expect((await admin.get(security)).json<HostSecurityView>().updatedAt).toBeNull();

    const res = await admin.request('PUT', security, { sysctls: true });
    expect(res.json<HostSecurityView>()).toMatchObject({
      settings: { sysctls: true, bindMounts: [] },
      updatedBy: 'admin',
    });
    const audit = (await admin.get('/api/audit?action=host.security.update')).json<AuditPage>();
    expect(audit.entries[0]).toMatchObject({ username: 'admin', outcome: 'success' });
    expect(audit.entries.find((e) => e.username === 'pol-op')).toMatchObject({
      outcome: 'denied',
    });
    // A PUT is the whole settings: what it leaves out goes back to refused.
    await setPolicy({});
    expect((await admin.get(security)).json<HostSecurityView>().settings.sysctls).toBe(false);
  });

  it('reads stored settings that no longer fit the schema as the refusing defaults', async () => {
    await t.db
      .insertInto('host_security')
      .values({
        host_id: 'local',
        settings: JSON.stringify({ bindMounts: 'everything', sysctls: 'yes' }),
        updated_at: new Date().toISOString(),
        updated_by: 'someone',
      })
      .onConflict((oc) => oc.column('host_id').doUpdateSet({ settings: '{"bindMounts":"all"}' }))
      .execute();
    expect((await operator.get(security)).json<HostSecurityView>().settings).toMatchObject({
      bindMounts: [],
      sysctls: false,
    });
    await expectRefused(
      operator,
      body({ mounts: [bind(outside)] }),
      'mounts.0.source',
      'bindMounts',
    );
    await setPolicy({});
  });

  it('refuses each host-level option to an operator with a 403 naming the field and the setting', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ mounts: [bind('/')] }, 'mounts.0.source', 'bindMounts'],
      [{ mounts: [bind('/var/run/docker.sock')] }, 'mounts.0.source', 'bindMounts'],
      [{ mounts: [bind(testSocketPath())] }, 'mounts.0.source', 'bindMounts'],
      [{ capAdd: ['ALL'] }, 'capAdd.0', 'capabilities'],
      [{ capAdd: ['NET_RAW', 'SYS_ADMIN'] }, 'capAdd.1', 'capabilities'],
      [{ devices: [{ hostPath: '/dev/mem' }] }, 'devices.0.hostPath', 'devices'],
      [{ networks: [{ name: 'host' }] }, 'networks.0.name', 'hostNamespaces'],
      [{ pidMode: 'host' }, 'pidMode', 'hostNamespaces'],
      [{ ipcMode: 'host' }, 'ipcMode', 'hostNamespaces'],
      [{ utsMode: 'host' }, 'utsMode', 'hostNamespaces'],
      [{ securityOpt: ['seccomp=unconfined'] }, 'securityOpt.0', 'securityOptions'],
      [{ securityOpt: ['apparmor=unconfined'] }, 'securityOpt.0', 'securityOptions'],
      [{ securityOpt: ['label=disable'] }, 'securityOpt.0', 'securityOptions'],
      [{ sysctls: { 'net.ipv4.ip_forward': '1' } }, 'sysctls.net.ipv4.ip_forward', 'sysctls'],
    ];
    for (const [more, field, setting] of cases)
      await expectRefused(operator, body(more), field, setting);
    const root = await expectRefused(
      operator,
      body({ mounts: [bind('/')] }),
      'mounts.0.source',
      'bindMounts',
    );
    expect(root.error.message).toBe(
      'The bind mount of / is not allowed: host setting "bindMounts" allows no bind mounts',
    );
    // The privileged flag stays admin-only, as before.
    const privileged = await operator.post(base, body({ privileged: true }));
    expect(privileged.json<Refusal>().error.code).toBe('privileged_needs_admin');
  });

  it('still lets an operator add a default capability, use volumes and tmpfs, and tighten', async () => {
    const created = await expectCreated(
      operator,
      body({
        capAdd: ['NET_RAW', 'CHOWN'],
        mounts: [
          { type: 'volume', source: fixtures.name('vol'), target: '/data' },
          { type: 'tmpfs', target: '/scratch' },
        ],
        securityOpt: ['no-new-privileges'],
        capDrop: ['MKNOD'],
      }),
    );
    expect(created.spec.securityOpt).toEqual(['no-new-privileges']);
  });

  it('never restricts admins', async () => {
    const created = await expectCreated(
      admin,
      body({
        mounts: [bind('/')],
        capAdd: ['ALL'],
        devices: [{ hostPath: '/dev/fuse' }],
        pidMode: 'host',
        ipcMode: 'host',
        utsMode: 'host',
        securityOpt: ['seccomp=unconfined'],
        sysctls: { 'net.ipv4.ip_forward': '1' },
      }),
    );
    expect(created.spec).toMatchObject({
      mounts: [{ type: 'bind', source: '/', readOnly: true }],
      capAdd: ['ALL'],
      devices: [{ hostPath: '/dev/fuse' }],
      pidMode: 'host',
      ipcMode: 'host',
      utsMode: 'host',
      securityOpt: ['seccomp=unconfined'],
      sysctls: { 'net.ipv4.ip_forward': '1' },
    });
    const hostNet = await expectCreated(admin, body({ networks: [{ name: 'host' }] }));
    expect(hostNet.spec.networks).toEqual([{ name: 'host' }]);
  });

  it('allows binds only under the listed paths, comparing cleaned paths', async () => {
    await setPolicy({ bindMounts: [`${allowed}/`] });
    for (const source of [allowed, `${allowed}/`, `${allowed}/sub`, `${allowed}//sub/`])
      await expectCreated(operator, body({ mounts: [bind(source)] }));
    for (const source of [
      `${allowed}/../${basename(outside)}`,
      `${allowed}/sub/../../outside`,
      `${allowed}x`,
      outside,
      root,
      '/',
    ])
      await expectRefused(
        operator,
        body({ mounts: [bind(source)] }),
        'mounts.0.source',
        'bindMounts',
      );
  });

  it('refuses the engine socket even under an allowed path unless allowed explicitly', async () => {
    await setPolicy({ bindMounts: ['/'] });
    await expectCreated(operator, body({ mounts: [bind(outside)] }));
    for (const source of ['/', testSocketPath(), dirname(testSocketPath()), '/var/run/docker.sock'])
      await expectRefused(
        operator,
        body({ mounts: [bind(source)] }),
        'mounts.0.source',
        'engineSocket',
      );
    await setPolicy({ engineSocket: true });
    await expectCreated(operator, body({ mounts: [bind(testSocketPath())] }));
    await expectRefused(
      operator,
      body({ mounts: [bind(outside)] }),
      'mounts.0.source',
      'bindMounts',
    );
  });

  it('lets an operator do what an admin has allowed, and only that', async () => {
    await setPolicy({
      capabilities: ['SYS_ADMIN'],
      devices: ['/dev/fuse'],
      hostNamespaces: ['network', 'pid', 'ipc'],
      securityOptions: true,
      sysctls: true,
    });
    await expectCreated(
      operator,
      body({ capAdd: ['SYS_ADMIN'], devices: [{ hostPath: '/dev/fuse' }] }),
    );
    await expectCreated(operator, body({ networks: [{ name: 'host' }] }));
    await expectCreated(
      operator,
      body({
        pidMode: 'host',
        ipcMode: 'host',
        securityOpt: ['seccomp=unconfined'],
        sysctls: { 'net.ipv4.ip_forward': '1' },
      }),
    );
    await expectRefused(operator, body({ capAdd: ['ALL'] }), 'capAdd.0', 'capabilities');
    await expectRefused(operator, body({ utsMode: 'host' }), 'utsMode', 'hostNamespaces');
    await expectRefused(operator, body({ mounts: [bind('/')] }), 'mounts.0.source', 'bindMounts');
    await setPolicy({});
  });

  it("treats sharing a namespace with a container that has the host's as the host's", async () => {
    const hostPid = await expectCreated(admin, body({ pidMode: 'host' }));
    await expectRefused(
      operator,
      body({ pidMode: `container:${hostPid.name}` }),
      'pidMode',
      'hostNamespaces',
    );
    const plain = await expectCreated(operator, body({}));
    await expectCreated(operator, body({ pidMode: `container:${plain.name}` }));
  });

  it("refuses the host's cgroup namespace only where it is not every container's already", async () => {
    const info = await fixtures.client.info();
    const spec = body({ cgroupnsMode: 'host' });
    if (info.CgroupVersion === '1') await expectCreated(operator, spec);
    else await expectRefused(operator, spec, 'cgroupnsMode', 'hostNamespaces');
  });

  it('refuses a volume whose driver options bind a host path, creating nothing', async () => {
    const volume = fixtures.name('bindvol');
    const spec = {
      name: volume,
      options: { type: 'none', o: 'bind', device: '/' },
      labels: { [TEST_LABEL]: fixtures.runId },
    };
    const res = await operator.post('/api/hosts/local/volumes', spec);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json<Refusal>().error).toMatchObject({
      code: 'forbidden_by_host_policy',
      details: { field: 'options.device', setting: 'bindMounts' },
    });
    expect((await admin.get(`/api/hosts/local/volumes/${volume}`)).statusCode).toBe(404);
    const nfs = await operator.post('/api/hosts/local/volumes', {
      name: fixtures.name('nfsvol'),
      options: { type: 'nfs', o: 'addr=127.0.0.1,ro', device: ':/exports' },
      labels: { [TEST_LABEL]: fixtures.runId },
    });
    expect(nfs.statusCode, nfs.body).toBe(201);
    expect((await admin.post('/api/hosts/local/volumes', spec)).statusCode).toBe(201);
  });
});
