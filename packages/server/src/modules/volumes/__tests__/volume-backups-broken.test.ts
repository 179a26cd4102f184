import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ListedVolumeBackup, VolumeBackup } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_LABEL } from '../../../testing/test-engine.js';
import { fileProblem, timeOfId } from '../backup-index.js';

describe('a backup list with broken files in it', () => {
  const fixtures = new EngineFixtures();
  const volume = fixtures.name('broken-backups');
  const base = `/api/hosts/local/volumes/${volume}/backups`;
  let t: TestApp;
  let operator: ApiClient;
  let good: VolumeBackup;
  let folder: string;

  beforeAll(async () => {
    t = await startTestApp();
    operator = await userSession(await setupAdmin(t.app), 'broken-op', 'operator');
    const made = await operator.post('/api/hosts/local/volumes', {
      name: volume,
      labels: { [TEST_LABEL]: fixtures.runId },
    });
    expect(made.statusCode, made.body).toBe(201);
    const res = await operator.post(base, { stopContainers: false });
    expect(res.statusCode, res.body).toBe(201);
    good = res.json<VolumeBackup>();
    folder = join(t.backupDir, 'local', volume);

    const meta = (id: string): string =>
      JSON.stringify({
        ...(JSON.parse(readFileSync(join(folder, `${good.id}.json`), 'utf8')) as object),
        id,
      });
    // An index cut off mid-write, and its archive gone.
    writeFileSync(join(folder, '20200101t000000000z-aaaa.json'), '{"id":"20200101t0000');
    // A good index whose archive is a link to nowhere.
    writeFileSync(join(folder, '20200102t000000000z-bbbb.json'), meta('20200102t000000000z-bbbb'));
    symlinkSync(join(folder, 'gone.tar.gz'), join(folder, '20200102t000000000z-bbbb.tar.gz'));
    // A good index whose archive cannot be read at all (a link to itself: ELOOP, even for root).
    writeFileSync(join(folder, '20200103t000000000z-cccc.json'), meta('20200103t000000000z-cccc'));
    symlinkSync('20200103t000000000z-cccc.tar.gz', join(folder, '20200103t000000000z-cccc.tar.gz'));
    // An index that is a folder (EISDIR), and valid JSON that is not a backup.
    mkdirSync(join(folder, '20200104t000000000z-dddd.json'));
    writeFileSync(
      join(folder, '20200105t000000000z-eeee.json'),
      '{"id":"20200105t000000000z-eeee"}',
    );
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('lists every backup, the unreadable ones marked broken with what is wrong', async () => {
    const res = await operator.get(base);
    expect(res.statusCode, res.body).toBe(200);
    const listed = res.json<{ backups: ListedVolumeBackup[] }>().backups;
    expect(listed.map((b) => b.id)).toEqual([
      good.id,
      '20200105t000000000z-eeee',
      '20200104t000000000z-dddd',
      '20200103t000000000z-cccc',
      '20200102t000000000z-bbbb',
      '20200101t000000000z-aaaa',
    ]);
    expect(listed[0]).toEqual({ ...good, broken: false });
    const problems = Object.fromEntries(
      listed.filter((b) => b.broken).map((b) => [b.id.slice(-4), b.problem]),
    );
    expect(problems).toEqual({
      aaaa: {
        code: 'index_corrupt',
        message: expect.stringMatching(
          /^its index file 20200101t000000000z-aaaa\.json is not valid JSON/,
        ),
      },
      bbbb: {
        code: 'archive_missing',
        message: 'its archive file 20200102t000000000z-bbbb.tar.gz is missing',
      },
      cccc: {
        code: 'archive_unreadable',
        message: expect.stringMatching(
          /^its archive file 20200103t000000000z-cccc\.tar\.gz cannot be read: ELOOP/,
        ),
      },
      dddd: {
        code: 'index_unreadable',
        message: expect.stringMatching(/cannot be read: EISDIR/),
      },
      eeee: {
        code: 'index_corrupt',
        message: expect.stringMatching(/does not describe this backup \(volume, createdAt/),
      },
    });
    const bbbb = listed.find((b) => b.id.endsWith('bbbb'));
    expect(bbbb).toMatchObject({ broken: true, createdAt: good.createdAt, sizeBytes: null });
    const aaaa = listed.find((b) => b.id.endsWith('aaaa'));
    expect(aaaa).toMatchObject({ createdAt: '2020-01-01T00:00:00.000Z', sizeBytes: null });
  });

  it('answers an unreadable archive with a 500 saying why, and only a missing one with 404', async () => {
    const unreadable = await operator.get(`${base}/20200103t000000000z-cccc/download`);
    expect(unreadable.statusCode).toBe(500);
    expect(unreadable.json()).toMatchObject({
      error: { code: 'backup_unreadable', message: expect.stringContaining('ELOOP') },
    });
    expect((await operator.get(`${base}/20200102t000000000z-bbbb/download`)).statusCode).toBe(404);
    expect((await operator.get(`${base}/${good.id}/download`)).statusCode).toBe(200);
  });

  it('deletes a broken backup, whichever of its files are there', async () => {
    for (const id of ['20200101t000000000z-aaaa', '20200103t000000000z-cccc']) {
      const res = await operator.delete(`${base}/${id}`);
      expect([id, res.statusCode]).toEqual([id, 204]);
    }
    const ids = (await operator.get(base)).json<{ backups: ListedVolumeBackup[] }>().backups;
    expect(ids.map((b) => b.id)).not.toContain('20200103t000000000z-cccc');
    expect(ids.map((b) => b.id)).not.toContain('20200101t000000000z-aaaa');
    expect((await operator.delete(`${base}/20200101t000000000z-aaaa`)).statusCode).toBe(404);
  });

  it('says "permission denied" for EACCES and EPERM, and "missing" only for ENOENT', () => {
    const err = (code: string): NodeJS.ErrnoException =>
      Object.assign(new Error(`${code}: it failed`), { code });
    expect(fileProblem(err('EACCES'), 'archive', 'x.tar.gz')).toEqual({
      code: 'archive_unreadable',
      message: 'its archive file x.tar.gz cannot be read: permission denied',
    });
    expect(fileProblem(err('EPERM'), 'index', 'x.json').message).toBe(
      'its index file x.json cannot be read: permission denied',
    );
    expect(fileProblem(err('ENOENT'), 'index', 'x.json').code).toBe('index_missing');
    expect(fileProblem(err('ENOTDIR'), 'index', 'x.json')).toEqual({
      code: 'index_unreadable',
      message: 'its index file x.json cannot be read: ENOTDIR: it failed',
    });
    expect(timeOfId('20261201t094227123z-ab12')).toBe('2026-12-01T09:42:27.123Z');
    expect(timeOfId('not-a-time')).toBeNull();
  });
});
