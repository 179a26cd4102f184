import type { PruneResult, VolumeBackup, VolumeSummary } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { ContainersApi } from '../../../docker/containers-api.js';
import { VOLUME_MOUNT, VolumeHelper } from '../volume-helper.js';

describe('volumes, backups and restores on a real engine', () => {
  const fixtures = new EngineFixtures();
  const volume = fixtures.name('vol');
  let clock = Date.now();
  let t: TestApp;
  let operator: ApiClient;
  let viewer: ApiClient;
  const base = '/api/hosts/local/volumes';

  beforeAll(async () => {
    t = await startTestApp({ now: () => clock });
    const admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'vol-op', 'operator');
    viewer = await userSession(admin, 'vol-viewer', 'viewer');
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  /** Runs a shell script in a container with the volume at /data, and waits for it to end. */
  async function inVolume(name: string, script: string): Promise<void> {
    const created = await fixtures.client.request<{ Id: string }>('POST', '/containers/create', {
      body: {
        Image: TEST_IMAGE,
        Cmd: ['sh', '-c', script],
        Labels: { [TEST_LABEL]: fixtures.runId },
        HostConfig: { Mounts: [{ Type: 'volume', Source: name, Target: '/data' }] },
      },
    });
    await fixtures.start(created.Id);
    await waitFor(
      'the script',
      async () =>
        !(
          await fixtures.client.request<{ State: { Running: boolean } }>(
            'GET',
            `/containers/${created.Id}/json`,
          )
        ).State.Running,
    );
    await fixtures.remove(created.Id);
  }

  it('creates a volume and lists it with labels, users and (on request) its size', async () => {
    const res = await operator.post(base, {
      name: volume,
      labels: { [TEST_LABEL]: fixtures.runId, purpose: 'tests' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      name: volume,
      driver: 'local',
      cli: `docker volume create --label ${TEST_LABEL}=${fixtures.runId} --label purpose=tests ${volume}`,
    });
    await inVolume(
      volume,
      'echo hello > /data/a.txt; mkdir -p /data/sub; head -c 200000 /dev/urandom > /data/sub/blob; ln -s a.txt /data/link',
    );

    const user = await fixtures.client.request<{ Id: string }>('POST', '/containers/create', {
      query: { name: fixtures.name('user') },
      body: {
        Image: TEST_IMAGE,
        Cmd: ['sleep', '300'],
        StopTimeout: 1,
        Labels: { [TEST_LABEL]: fixtures.runId },
        HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/srv' }] },
      },
    });
    await fixtures.start(user.Id);
    const listed = await waitFor('used by', async () => {
      const v = (await viewer.get(`${base}?size=true`))
        .json<{ volumes: VolumeSummary[] }>()
        .volumes.find((x) => x.name === volume);
      return v?.usedBy.length ? v : undefined;
    });
    expect(listed.usedBy[0]).toMatchObject({ name: fixtures.name('user'), destination: '/srv' });
    expect(listed.labels.purpose).toBe('tests');
    expect(listed.sizeBytes).toBeGreaterThanOrEqual(200_000);
    expect(
      (await viewer.get(base))
        .json<{ volumes: VolumeSummary[] }>()
        .volumes.find((x) => x.name === volume)?.sizeBytes,
    ).toBeNull();
  });

  it('browses the volume read-only and downloads a file', async () => {
    const root = (await viewer.get(`${base}/${volume}/files?path=/`)).json<{
      path: string;
      entries: { name: string; type: string }[];
    }>();
    expect(root.path).toBe('/');
    expect(root.entries.map((e) => `${e.name}:${e.type}`)).toEqual([
      'sub:directory',
      'a.txt:file',
      'link:symlink',
    ]);
    const sub = (await viewer.get(`${base}/${volume}/files?path=/sub`)).json<{
      entries: { name: string; size: number; path: string }[];
    }>();
    expect(sub.entries).toEqual([
      expect.objectContaining({ name: 'blob', size: 200_000, path: '/sub/blob' }),
    ]);
    const file = await operator.get(`${base}/${volume}/files/download?path=/a.txt`);
    expect(file.body).toBe('hello\n');
    expect((await viewer.get(`${base}/${volume}/files/download?path=/a.txt`)).statusCode).toBe(403);
    expect((await viewer.get(`${base}/${volume}/files?path=../etc`)).statusCode).toBe(400);
  });

  it('keeps the helper container until a download has been read to its end', async () => {
    const host = t.hosts.get('local');
    if (!host) throw new Error('no local host');
    let helperId = '';
    const download = await new VolumeHelper(TEST_IMAGE).withStream(
      host,
      volume,
      true,
      async (id, api) => {
        helperId = id;
        return { body: await api.getArchive(id, `${VOLUME_MOUNT}/sub/blob`) };
      },
    );
    // Handed back unread: the container it streams from must still be there.
    const api = new ContainersApi(host.client);
    expect(await api.find(helperId)).toBeDefined();
    let bytes = 0;
    for await (const chunk of download.body) bytes += (chunk as Buffer).length;
    expect(bytes).toBeGreaterThan(200_000); // the file, in its tar wrapping
    await waitFor('the helper removed', async () => (await api.find(helperId)) === undefined);
  });

  it('backs up (stopping and restarting its users) and restores into a new volume, byte for byte', async () => {
    const res = await operator.post(`${base}/${volume}/backups`, { stopContainers: true });
    expect(res.statusCode, res.body).toBe(201);
    const backup = res.json<VolumeBackup>();
    expect(backup).toMatchObject({ volume, files: 3, stoppedContainers: [fixtures.name('user')] });
    expect(backup.sizeBytes).toBeGreaterThan(1000);
    await waitFor('the user running again', () =>
      t.hosts
        .get('local')
        ?.state.containers()
        .some((c) => c.name === fixtures.name('user') && c.state === 'running'),
    );
    const listed = (await viewer.get(`${base}/${volume}/backups`)).json<{
      backups: VolumeBackup[];
    }>().backups;
    expect(listed.map((b) => b.id)).toEqual([backup.id]);
    const archive = await operator.get(`${base}/${volume}/backups/${backup.id}/download`);
    expect(archive.rawPayload.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(true);

    const target = fixtures.name('restored');
    const restored = await operator.post(`${base}/${volume}/backups/${backup.id}/restore`, {
      target,
    });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({ volume: target, files: 3 });
    const original = await operator.get(`${base}/${volume}/files/download?path=/sub/blob`);
    const copy = await operator.get(`${base}/${target}/files/download?path=/sub/blob`);
    expect(copy.rawPayload.length).toBe(200_000);
    expect(copy.rawPayload.equals(original.rawPayload)).toBe(true);
    expect((await operator.get(`${base}/${target}/files/download?path=/a.txt`)).body).toBe(
      'hello\n',
    );

    const again = await operator.post(`${base}/${volume}/backups/${backup.id}/restore`, { target });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'volume_not_empty' } });
  });

  it('runs scheduled backups when due and keeps only the newest', async () => {
    const set = await operator.request('PUT', `${base}/${volume}/backup-schedule`, {
      everyHours: 6,
      keep: 2,
    });
    expect(set.statusCode, set.body).toBe(200);
    const before = (await viewer.get(`${base}/${volume}/backups`)).json<{
      backups: VolumeBackup[];
    }>().backups.length;
    // Only the scheduler sees the clock move: sessions would expire if the API did too.
    const start = clock;
    expect(await t.services.backupSchedules.runDue()).toBe(1);
    expect(await t.services.backupSchedules.runDue()).toBe(0);
    clock += 6 * 3_600_000;
    expect(await t.services.backupSchedules.runDue()).toBe(1);
    clock += 6 * 3_600_000;
    expect(await t.services.backupSchedules.runDue()).toBe(1);
    clock = start;
    const after = (await viewer.get(`${base}/${volume}/backups`)).json<{
      backups: VolumeBackup[];
    }>().backups;
    expect(before).toBe(1);
    expect(after).toHaveLength(2);
    expect((await viewer.get(`${base}/${volume}/backup-schedule`)).json()).toMatchObject({
      everyHours: 6,
      keep: 2,
      lastError: null,
    });
    expect((await operator.delete(`${base}/${volume}/backup-schedule`)).statusCode).toBe(204);
  });

  it('refuses a backup schedule for a volume that does not exist, and keeps none', async () => {
    const missing = fixtures.name('missing');
    const res = await operator.request('PUT', `${base}/${missing}/backup-schedule`, {
      everyHours: 6,
      keep: 2,
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'volume_not_found' } });
    expect((await viewer.get(`${base}/${missing}/backup-schedule`)).json()).toBeNull();
  });

  it('refuses to remove a volume in use, and prunes exactly what the dry run listed', async () => {
    const inUse = await operator.delete(`${base}/${volume}`);
    expect(inUse.statusCode).toBe(409);
    const spare = fixtures.name('spare');
    await operator.post(base, { name: spare, labels: { [TEST_LABEL]: fixtures.runId } });
    await waitFor('spare listed', async () =>
      (await viewer.get(base))
        .json<{ volumes: VolumeSummary[] }>()
        .volumes.some((v) => v.name === spare),
    );
    const other = fixtures.name('unlabelled');
    await operator.post(base, { name: other });
    // Other suites share the engine: only this run's volumes are pruned (--filter label=…).
    const label = `${TEST_LABEL}=${fixtures.runId}`;
    const dry = (await operator.post(`${base}/prune`, { dryRun: true, label })).json<PruneResult>();
    expect(dry.removed.map((r) => r.id)).toContain(spare);
    expect(dry.removed.map((r) => r.id)).not.toContain(volume);
    expect(dry.removed.map((r) => r.id)).not.toContain(other);
    expect(dry.cli).toMatch(/ --filter '?label=/);
    expect(dry.cli).toContain(label);
    const real = (
      await operator.post(`${base}/prune`, { dryRun: false, label })
    ).json<PruneResult>();
    expect(real.removed.map((r) => r.id).sort()).toEqual(dry.removed.map((r) => r.id).sort());
    expect((await operator.delete(`${base}/${other}`)).statusCode).toBe(200);
  });

  it('keeps viewers to reading', async () => {
    expect((await viewer.post(`${base}/${volume}/backups`, {})).statusCode).toBe(403);
    expect((await viewer.post(base, { name: 'nope' })).statusCode).toBe(403);
    expect((await viewer.delete(`${base}/${volume}`)).statusCode).toBe(403);
  });
});
