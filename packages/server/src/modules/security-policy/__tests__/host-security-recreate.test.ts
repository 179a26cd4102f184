import type {
  ContainerCreated,
  ContainerDetail,
  ContainerUpdateEntry,
  TransferResult,
} from '@berth/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestRegistry,
  type TestRegistry,
} from '../../../../../../scripts/lib/test-registry.mjs';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

interface Refusal {
  error: { code: string; message: string; details: { field: string; setting: string } };
}

/**
 * Edit, duplicate and image update of a container an admin gave host-level options: the
 * operator keeps what it has, unchanged, and is refused anything more (docs/security.md).
 */
describe('host security settings: recreating containers on a real engine', () => {
  const fixtures = new EngineFixtures();
  const hostDir = mkdtempSync(join(tmpdir(), 'berth-policy-held-'));
  let t: TestApp;
  let admin: ApiClient;
  let operator: ApiClient;
  let registry: TestRegistry;
  const base = '/api/hosts/local/containers';
  const labels = () => ({ [TEST_LABEL]: fixtures.runId });
  const detail = async (ref: string): Promise<ContainerDetail> =>
    (await admin.get(`${base}/${ref}`)).json<ContainerDetail>();
  const names = async (): Promise<string[]> =>
    (await fixtures.listOwnContainers()).map((c) => c.Names[0] ?? '');

  /** An admin's running container with a host folder, the host's PID namespace and SYS_ADMIN. */
  async function adminContainer(name: string, image = TEST_IMAGE): Promise<ContainerDetail> {
    const res = await admin.post(base, {
      name: fixtures.name(name),
      image,
      command: ['sleep', '300'],
      labels: labels(),
      mounts: [{ type: 'bind', source: hostDir, target: '/host', readOnly: true }],
      pidMode: 'host',
      capAdd: ['SYS_ADMIN'],
      stopTimeoutS: 1,
      validateSeconds: 0,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ContainerCreated>().container;
  }

  /** The refusal names the field and setting; the container is the same one, still running. */
  async function expectRefusedEdit(
    before: ContainerDetail,
    changes: Record<string, unknown>,
    field: string,
    setting: string,
  ): Promise<void> {
    const res = await operator.post(`${base}/${before.id}/recreate`, changes);
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json<Refusal>().error).toMatchObject({
      code: 'forbidden_by_host_policy',
      details: { field, setting },
    });
    const after = await detail(before.name);
    expect(after).toMatchObject({ id: before.id, state: 'running' });
    expect(after.spec).toEqual(before.spec);
  }

  beforeAll(async () => {
    registry = await startTestRegistry();
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'held-op', 'operator');
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
    await registry.stop();
    rmSync(hostDir, { recursive: true, force: true });
  });

  it('lets an operator edit what else an admin gave host options, keeping them unchanged', async () => {
    const before = await adminContainer('held');
    const patched = await operator.post(`${base}/${before.id}/recreate`, {
      env: { MODE: 'patched' },
      validateSeconds: 0,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const after = patched.json<ContainerCreated>().container;
    expect(after.id).not.toBe(before.id);
    expect(after.spec).toMatchObject({
      env: { MODE: 'patched' },
      mounts: [{ type: 'bind', source: hostDir, readOnly: true }],
      pidMode: 'host',
      capAdd: ['SYS_ADMIN'],
    });
    // The edit form sends the whole spec back (replace): the kept options are unchanged too.
    const { name: _name, ...spec } = after.spec;
    void _name;
    const replaced = await operator.post(`${base}/${after.id}/recreate`, {
      ...spec,
      env: { MODE: 'replaced' },
      replace: true,
      validateSeconds: 0,
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json<ContainerCreated>().container.spec.env).toEqual({ MODE: 'replaced' });
  });

  it('refuses an edit that adds or loosens a host option, leaving the container as it was', async () => {
    const before = await detail(fixtures.name('held'));
    await expectRefusedEdit(
      before,
      { capAdd: ['SYS_ADMIN', 'NET_ADMIN'] },
      'capAdd.1',
      'capabilities',
    );
    await expectRefusedEdit(
      before,
      { mounts: [{ type: 'bind', source: hostDir, target: '/host', readOnly: false }] },
      'mounts.0.source',
      'bindMounts',
    );
    await expectRefusedEdit(
      before,
      { mounts: [{ type: 'bind', source: '/', target: '/host', readOnly: true }] },
      'mounts.0.source',
      'bindMounts',
    );
    await expectRefusedEdit(before, { ipcMode: 'host' }, 'ipcMode', 'hostNamespaces');
    await expectRefusedEdit(
      before,
      { securityOpt: ['seccomp=unconfined'] },
      'securityOpt.0',
      'securityOptions',
    );
    await expectRefusedEdit(
      before,
      { sysctls: { 'net.ipv4.ip_forward': '1' } },
      'sysctls.net.ipv4.ip_forward',
      'sysctls',
    );
    await expectRefusedEdit(
      before,
      { devices: [{ hostPath: '/dev/mem' }] },
      'devices.0.hostPath',
      'devices',
    );
    // And of the operator's own plain container.
    const plain = await operator.post(base, {
      name: fixtures.name('plain'),
      image: TEST_IMAGE,
      command: ['sleep', '300'],
      labels: labels(),
      stopTimeoutS: 1,
      validateSeconds: 0,
    });
    expect(plain.statusCode, plain.body).toBe(201);
    await expectRefusedEdit(
      plain.json<ContainerCreated>().container,
      { networks: [{ name: 'host' }] },
      'networks.0.name',
      'hostNamespaces',
    );
  });

  it('refuses an operator a duplicate that copies host options into a new container; an admin may', async () => {
    const copy = fixtures.name('copy');
    const refused = await operator.post(`${base}/${fixtures.name('held')}/duplicate`, {
      name: copy,
    });
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json<Refusal>().error).toMatchObject({
      code: 'forbidden_by_host_policy',
      details: { field: 'mounts.0.source', setting: 'bindMounts' },
    });
    expect(await names()).not.toContain(`/${copy}`);
    const allowed = await admin.post(`${base}/${fixtures.name('held')}/duplicate`, { name: copy });
    expect(allowed.statusCode, allowed.body).toBe(201);
    expect(allowed.json<ContainerCreated>().container.spec).toMatchObject({
      pidMode: 'host',
      capAdd: ['SYS_ADMIN'],
    });
  });

  it('lets an operator edit and duplicate with what an admin has since allowed', async () => {
    const allow = await admin.request('PUT', '/api/hosts/local/security', {
      bindMounts: [hostDir],
      capabilities: ['SYS_ADMIN', 'NET_ADMIN'],
      hostNamespaces: ['pid'],
    });
    expect(allow.statusCode, allow.body).toBe(200);
    const before = await detail(fixtures.name('held'));
    const edited = await operator.post(`${base}/${before.id}/recreate`, {
      capAdd: ['SYS_ADMIN', 'NET_ADMIN'],
      validateSeconds: 0,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<ContainerCreated>().container.spec.capAdd).toEqual([
      'SYS_ADMIN',
      'NET_ADMIN',
    ]);
    const copy = await operator.post(`${base}/${before.name}/duplicate`, {
      name: fixtures.name('op-copy'),
    });
    expect(copy.statusCode, copy.body).toBe(201);
    const reset = await admin.request('PUT', '/api/hosts/local/security', {});
    expect(reset.statusCode).toBe(200);
  });

  it("lets an operator update the image of an admin's container, keeping its host options", async () => {
    const image = `${registry.host}/berth-${fixtures.runId}/held:1`;
    const [repo = '', tag = ''] = [
      image.slice(0, image.lastIndexOf(':')),
      image.slice(image.lastIndexOf(':') + 1),
    ];
    await fixtures.client.request('POST', `/images/${encodeURIComponent(TEST_IMAGE)}/tag`, {
      query: { repo, tag },
    });
    const push = async (): Promise<TransferResult> =>
      (await admin.post('/api/hosts/local/images/push', { image })).json<TransferResult>();
    expect((await push()).status).toBe('done');
    const before = await adminContainer('upd', image);

    // A new image under the same tag in the registry.
    const maker = await fixtures.createContainer('mk', ['sh', '-c', 'echo two > /marker']);
    await fixtures.start(maker);
    await waitFor(
      'the image maker to exit',
      async () =>
        !(
          await fixtures.client.request<{ State: { Running: boolean } }>(
            'GET',
            `/containers/${maker}/json`,
          )
        ).State.Running,
    );
    await fixtures.client.request('POST', '/commit', { query: { container: maker, repo, tag } });
    expect((await push()).status).toBe('done');

    const res = await operator.post(`${base}/${before.id}/update`, { validateSeconds: 0 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<ContainerUpdateEntry>().outcome).toBe('updated');
    const after = await detail(before.name);
    expect(after.id).not.toBe(before.id);
    expect(after.imageId).not.toBe(before.imageId);
    expect(after.spec).toMatchObject({
      mounts: [{ type: 'bind', source: hostDir, readOnly: true }],
      pidMode: 'host',
      capAdd: ['SYS_ADMIN'],
    });
  });
});
