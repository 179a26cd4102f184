import type {
  ContainerCreated,
  ContainerDetail,
  ContainerUpdateEntry,
  ImageUpdate,
  RegistryView,
  TransferResult,
} from '@berth/contract';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestRegistry,
  type TestRegistry,
} from '../../../../../../scripts/lib/test-registry.mjs';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

describe('update detection, update and rollback against a real registry', () => {
  const fixtures = new EngineFixtures();
  const dbDir = mkdtempSync(join(tmpdir(), 'berth-db-'));
  let registry: TestRegistry;
  let secured: TestRegistry;
  let t: TestApp;
  let admin: ApiClient;
  let operator: ApiClient;
  let image: string;
  let oldId: string;
  let newId: string;
  let appId: string;

  /** A new image with a marker file, tagged as `tag`. */
  async function newImage(tag: string, marker: string): Promise<string> {
    const id = await fixtures.createContainer(`mk-${marker}`, [
      'sh',
      '-c',
      `echo ${marker} > /marker`,
    ]);
    await fixtures.start(id);
    await waitFor(
      'done',
      async () =>
        !(
          await fixtures.client.request<{ State: { Running: boolean } }>(
            'GET',
            `/containers/${id}/json`,
          )
        ).State.Running,
    );
    const [repo = '', version = ''] = [
      tag.slice(0, tag.lastIndexOf(':')),
      tag.slice(tag.lastIndexOf(':') + 1),
    ];
    const res = await fixtures.client.request<{ Id: string }>('POST', '/commit', {
      query: { container: id, repo, tag: version },
    });
    await fixtures.remove(id);
    return res.Id;
  }

  const push = async (client: ApiClient, ref: string): Promise<TransferResult> =>
    (await client.post('/api/hosts/local/images/push', { image: ref })).json<TransferResult>();

  const running = async (): Promise<ContainerDetail> =>
    (
      await operator.get(`/api/hosts/local/containers/${fixtures.name('app')}`)
    ).json<ContainerDetail>();

  beforeAll(async () => {
    registry = await startTestRegistry();
    secured = await startTestRegistry({
      auth: { username: 'robot', password: 'registry-pass-9f3b' },
    });
    t = await startTestApp({ databaseFile: join(dbDir, 'berth.db') });
    admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'upd-op', 'operator');
    image = `${registry.host}/berth-${fixtures.runId}/app:1`;
  }, 120_000);
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
    await registry.stop();
    await secured.stop();
    rmSync(dbDir, { recursive: true, force: true });
  });

  it('pushes an image with progress and finds the container up to date', async () => {
    const [repo = '', tag = ''] = [
      image.slice(0, image.lastIndexOf(':')),
      image.slice(image.lastIndexOf(':') + 1),
    ];
    expect(
      (
        await operator.post(`/api/hosts/local/images/${encodeURIComponent(TEST_IMAGE)}/tag`, {
          repository: repo,
          tag,
        })
      ).statusCode,
    ).toBe(200);
    const pushed = await push(operator, image);
    expect(pushed).toMatchObject({ status: 'done', error: null });
    expect(pushed.digest).toMatch(/^sha256:/);

    const created = await operator.post('/api/hosts/local/containers', {
      name: fixtures.name('app'),
      image,
      command: ['sleep', '300'],
      stopTimeoutS: 1,
      validateSeconds: 1,
    });
    expect(created.statusCode, created.body).toBe(201);
    appId = created.json<ContainerCreated>().container.id;
    oldId = created.json<ContainerCreated>().container.imageId;

    const check = (await operator.post('/api/hosts/local/images/updates')).json<{
      updates: ImageUpdate[];
    }>().updates;
    expect(check.find((u) => u.image === image)).toMatchObject({
      status: 'up-to-date',
      localDigest: pushed.digest,
      remoteDigest: pushed.digest,
    });
    expect(check.find((u) => u.image === TEST_IMAGE)).toMatchObject({
      status: 'unknown',
      reason: expect.stringContaining('locally'),
    });
  });

  it('sees an update once the registry has a new image under the same tag', async () => {
    newId = await newImage(image, 'two');
    const pushed = await push(operator, image);
    expect(pushed.status).toBe('done');
    // Put the local tag back on the old image and drop the new one, as if it had never been pulled.
    const [repo = '', tag = ''] = [
      image.slice(0, image.lastIndexOf(':')),
      image.slice(image.lastIndexOf(':') + 1),
    ];
    await fixtures.client.request('POST', `/images/${oldId}/tag`, { query: { repo, tag } });
    await fixtures.client.request('DELETE', `/images/${newId}`, { query: { force: true } });

    const updates = (await operator.post('/api/hosts/local/images/updates')).json<{
      updates: ImageUpdate[];
    }>().updates;
    const mine = updates.find((u) => u.image === image);
    expect(mine).toMatchObject({ status: 'update-available', remoteDigest: pushed.digest });
    expect(mine?.localDigest).not.toBe(pushed.digest);
    expect(
      (await operator.get('/api/hosts/local/images/updates')).json<{ updates: ImageUpdate[] }>()
        .updates,
    ).toEqual(updates);
  });

  it('updates exactly the previewed containers, then rolls back', async () => {
    const other = await fixtures.createContainer('bystander');
    const preview = (await operator.get('/api/hosts/local/updates/preview')).json<{
      containers: { id: string; name: string }[];
    }>().containers;
    expect(preview.map((p) => p.name)).toEqual([fixtures.name('app')]);

    const applied = await operator.post('/api/hosts/local/updates/apply', {
      containers: [appId, other],
      validateSeconds: 2,
    });
    const results = applied.json<{ results: { id: string; ok: boolean; outcome: string }[] }>()
      .results;
    expect(results.find((r) => r.id === appId)).toMatchObject({ ok: true, outcome: 'updated' });
    expect(results.find((r) => r.id === other)).toMatchObject({ ok: false, outcome: 'skipped' });

    const now = await running();
    expect(now.imageId).toBe(newId);
    expect(now.state).toBe('running');
    expect(now.name).toBe(fixtures.name('app'));

    const history = (
      await operator.get(`/api/hosts/local/containers/${fixtures.name('app')}/updates`)
    ).json<{ history: ContainerUpdateEntry[] }>().history;
    expect(history[0]).toMatchObject({
      kind: 'update',
      outcome: 'updated',
      oldImageId: oldId,
      newImageId: newId,
      username: 'upd-op',
    });

    const rolled = await operator.post(
      `/api/hosts/local/containers/${fixtures.name('app')}/rollback`,
      { historyId: history[0]?.id, validateSeconds: 2 },
    );
    expect(rolled.json()).toMatchObject({
      kind: 'rollback',
      outcome: 'updated',
      newImageId: oldId,
    });
    expect((await running()).imageId).toBe(oldId);
  });

  it('retags a container to another tag of its repository', async () => {
    const second = image.replace(/:1$/, ':2');
    await newImage(second, 'three');
    expect((await push(operator, second)).status).toBe('done');
    const res = await operator.post(`/api/hosts/local/containers/${fixtures.name('app')}/retag`, {
      tag: '2',
      validateSeconds: 2,
    });
    expect(res.json()).toMatchObject({ kind: 'retag', outcome: 'updated', newImage: second });
    expect((await running()).image).toBe(second);
  });

  it('keeps registry credentials encrypted, never returns them, and uses them to push', async () => {
    const password = 'registry-pass-9f3b';
    const target = `${secured.host}/berth/app:1`;
    const [repo = ''] = [target.slice(0, target.lastIndexOf(':'))];
    await operator.post(`/api/hosts/local/images/${encodeURIComponent(TEST_IMAGE)}/tag`, {
      repository: repo,
      tag: '1',
    });
    expect((await push(operator, target)).status).toBe('failed');

    const created = await admin.post('/api/registries', {
      name: 'local secured',
      host: secured.host,
      username: 'robot',
      password,
    });
    expect(created.statusCode, created.body).toBe(201);
    const reg = created.json<RegistryView>();
    expect(JSON.stringify(reg)).not.toContain(password);
    expect(JSON.stringify((await admin.get('/api/registries')).json())).not.toContain(password);
    expect((await admin.post(`/api/registries/${reg.id}/test`)).json()).toMatchObject({ ok: true });
    const authed = await push(operator, target);
    expect(authed.error).toBeNull();
    expect(authed.status).toBe('done');

    await admin.patch(`/api/registries/${reg.id}`, { password: 'wrong-password-xx' });
    expect((await admin.post(`/api/registries/${reg.id}/test`)).json()).toMatchObject({
      ok: false,
    });
    expect((await operator.get('/api/registries')).statusCode).toBe(403);

    const onDisk = readdirSync(dbDir)
      .map((f) => readFileSync(join(dbDir, f)).toString('latin1'))
      .join('');
    expect(onDisk).toContain(secured.host);
    expect(onDisk).not.toContain(password);
    expect(onDisk).not.toContain('wrong-password-xx');
  });
});
