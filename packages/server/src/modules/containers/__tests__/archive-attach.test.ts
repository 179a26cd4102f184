import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ARCHIVE_UPLOAD_MAX_BYTES } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarEntries } from '../../../docker/tar.js';
import { tarFiles } from '../../../docker/tar-write.js';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';
import { WsRecorder } from '../../../testing/ws-client.js';
import { DetachKeysReader } from '../detach-keys.js';

const TAR = { 'content-type': 'application/x-tar' };

describe('archive uploads (containers, volumes) and attach', () => {
  const fixtures = new EngineFixtures();
  const volume = fixtures.name('archive-vol');
  let t: TestApp;
  let admin: ApiClient;
  let viewer: ApiClient;
  let id: string;
  let base: string;

  /** A running `sh` reading its stdin (OpenStdin), with or without a TTY. */
  async function shell(name: string, tty: boolean): Promise<string> {
    const created = await fixtures.client.request<{ Id: string }>('POST', '/containers/create', {
      query: { name: fixtures.name(name) },
      body: {
        Image: TEST_IMAGE,
        Cmd: ['sh'],
        OpenStdin: true,
        Tty: tty,
        Labels: { [TEST_LABEL]: fixtures.runId },
        StopTimeout: 1,
      },
    });
    await fixtures.start(created.Id);
    return created.Id;
  }

  const entriesOf = async (payload: Buffer) => {
    const found: Record<string, { mode: number; body: Buffer | null; type: string }> = {};
    for await (const { entry, body } of readTarEntries(Readable.from([payload]), 1_000_000))
      found[entry.name] = { mode: entry.mode, body, type: entry.type };
    return found;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const session = await setupAdmin(t.app);
    admin = await tokenFor(session, 'archive');
    viewer = await userSession(session, 'archive-viewer', 'viewer');
    id = await fixtures.createContainer('archive', ['sh', '-c', 'mkdir -p /srv/in; sleep 300']);
    await fixtures.start(id);
    base = `/api/hosts/local/containers/${id}`;
    await fixtures.client.request('POST', '/volumes/create', {
      body: { Name: volume, Labels: { [TEST_LABEL]: fixtures.runId } },
    });
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('unpacks an archive into a container folder with its modes, and says so in the audit log', async () => {
    const blob = randomBytes(100_000);
    const archive = await tarFiles([
      { name: 'tree', type: 'directory', mode: 0o750 },
      { name: 'tree/run.sh', content: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
      { name: 'tree/blob.bin', content: blob, mode: 0o600 },
    ]);
    await expect
      .poll(async () => (await admin.get(`${base}/files?path=/srv/in`)).statusCode)
      .toBe(200);
    const up = await admin.request('PUT', `${base}/files/archive?path=/srv/in`, archive, TAR);
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ path: '/srv/in', entries: 3, size: archive.length });
    const down = await admin.get(`${base}/files/download?path=/srv/in/tree&format=tar`);
    const found = await entriesOf(down.rawPayload);
    expect(found['tree/']?.mode).toBe(0o750);
    expect(found['tree/run.sh']?.mode).toBe(0o755);
    expect(found['tree/blob.bin']).toMatchObject({ mode: 0o600 });
    expect(found['tree/blob.bin']?.body?.equals(blob)).toBe(true);
    const audited = await t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('action', '=', 'container.archive_upload')
      .execute();
    expect(audited).toContainEqual({ action: 'container.archive_upload', outcome: 'success' });
  });

  it('refuses an archive with an entry leading outside the folder, writing none of it', async () => {
    for (const evil of ['../escape.txt', 'ok/../../escape.txt']) {
      const archive = await tarFiles([
        { name: 'first.txt', content: Buffer.from('first') },
        { name: evil, content: Buffer.from('x') },
      ]);
      const up = await admin.request('PUT', `${base}/files/archive?path=/srv/in`, archive, TAR);
      expect(up.statusCode, evil).toBe(400);
      expect(up.json()).toMatchObject({ error: { code: 'archive_outside_root' } });
    }
    expect((await admin.get(`${base}/files?path=/srv/in/first.txt`)).statusCode).toBe(404);
    const junk = await admin.request(
      'PUT',
      `${base}/files/archive?path=/srv/in`,
      randomBytes(1024),
      TAR,
    );
    expect(junk.statusCode).toBe(400);
    expect(junk.json()).toMatchObject({ error: { code: 'invalid_archive' } });
    const missing = await admin.request(
      'PUT',
      `${base}/files/archive?path=/no/such/dir`,
      await tarFiles([{ name: 'a', content: Buffer.from('a') }]),
      TAR,
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'path_not_found' } });
    const huge = Buffer.alloc(ARCHIVE_UPLOAD_MAX_BYTES + 1);
    const tooBig = await admin.request('PUT', `${base}/files/archive?path=/srv/in`, huge, TAR);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('refuses viewers an archive upload', async () => {
    const archive = await tarFiles([{ name: 'v.txt', content: Buffer.from('v') }]);
    const up = await viewer.request('PUT', `${base}/files/archive?path=/srv/in`, archive, TAR);
    expect(up.statusCode).toBe(403);
    const vol = await viewer.request(
      'PUT',
      `/api/hosts/local/volumes/${volume}/files/archive?path=/`,
      archive,
      TAR,
    );
    expect(vol.statusCode).toBe(403);
  });

  it('unpacks an archive into a volume through a helper it then removes', async () => {
    const blob = randomBytes(50_000);
    const archive = await tarFiles([
      { name: 'data', type: 'directory', mode: 0o700 },
      { name: 'data/blob.bin', content: blob, mode: 0o640 },
    ]);
    const vbase = `/api/hosts/local/volumes/${volume}/files`;
    const up = await admin.request('PUT', `${vbase}/archive?path=/`, archive, TAR);
    expect(up.statusCode, up.body).toBe(200);
    const down = await admin.get(`${vbase}/download?path=/data&format=tar`);
    const found = await entriesOf(down.rawPayload);
    expect(found['data/']?.mode).toBe(0o700);
    expect(found['data/blob.bin']?.mode).toBe(0o640);
    expect(found['data/blob.bin']?.body?.equals(blob)).toBe(true);
    const evil = await tarFiles([{ name: '../../etc/x', content: Buffer.from('x') }]);
    const refused = await admin.request('PUT', `${vbase}/archive?path=/data`, evil, TAR);
    expect(refused.json()).toMatchObject({ error: { code: 'archive_outside_root' } });
    await expect
      .poll(
        async () =>
          (
            await fixtures.client.listContainers({
              label: ['io.berth.helper=true'],
              volume: [volume],
            })
          ).length,
      )
      .toBe(0);
  });

  it('attaches to sh without a TTY: output by stream, the exit code at the end', async () => {
    const sh = await shell('attach-sh', false);
    const term = await WsRecorder.open(
      t.app,
      `/api/hosts/local/containers/${sh}/attach`,
      admin.headers,
    );
    await term.waitFor('started', () => term.of('started')[0]);
    expect(term.of('started')[0]).toMatchObject({ tty: false });
    term.socket.send(Buffer.from('echo hi; echo oops >&2\n'), { binary: true });
    await term.waitFor('both streams', () => term.binary.length >= 2);
    // The engine copies each stream on its own: their order between them is not kept.
    expect(term.binary.map((b) => [b[0], b.subarray(1).toString()]).sort()).toEqual([
      [1, 'hi\n'],
      [2, 'oops\n'],
    ]);
    term.socket.send(JSON.stringify({ type: 'input', data: 'exit 7\n' }));
    await term.waitFor('the exit', () => term.of('exit')[0]);
    expect(term.of('exit')[0]).toEqual({ type: 'exit', exitCode: 7 });
    const audited = await t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('action', '=', 'container.attach')
      .execute();
    expect(audited).toContainEqual({ action: 'container.attach', outcome: 'success' });
  });

  it('reads the detach sequence itself and leaves the container running', async () => {
    const sh = await shell('attach-detach', false);
    const path = `/api/hosts/local/containers/${sh}/attach?detachKeys=ctrl-x,q`;
    const term = await WsRecorder.open(t.app, path, admin.headers);
    await term.waitFor('started', () => term.of('started')[0]);
    term.socket.send(Buffer.from([0x18, 0x71]), { binary: true });
    await term.waitFor('detached', () => term.of('detached')[0]);
    expect(term.of('detached')[0]).toEqual({ type: 'detached', keys: 'ctrl-x,q' });
    const inspect = await fixtures.client.request<{ State: { Running: boolean } }>(
      'GET',
      `/containers/${sh}/json`,
    );
    expect(inspect.State.Running).toBe(true);
  });

  it('refuses bad detach keys and a stopped container', async () => {
    const bad = await admin.get(`/api/hosts/local/containers/${id}/attach?detachKeys=ctrl-1`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation_failed' } });
    const stopped = await fixtures.createContainer('attach-stopped', ['true']);
    await fixtures.start(stopped);
    await fixtures.client.request('POST', `/containers/${stopped}/wait`);
    const term = await WsRecorder.open(
      t.app,
      `/api/hosts/local/containers/${stopped}/attach`,
      admin.headers,
    );
    await term.waitFor('the error', () => term.of('error')[0]);
    expect(term.of('error')[0]).toMatchObject({ code: 'container_not_running' });
  });

  it('attaches to a created container before it starts, so its first line is not missed', async () => {
    const created = await fixtures.createContainer('attach-created', ['echo', 'first']);
    const term = await WsRecorder.open(
      t.app,
      `/api/hosts/local/containers/${created}/attach?stdin=false`,
      admin.headers,
    );
    await term.waitFor('started', () => term.of('started')[0]);
    // Started only once attached, as `docker run` does; the exit wait was set up before.
    const start = await admin.post(`/api/hosts/local/containers/${created}/start`);
    expect(start.statusCode).toBeLessThan(300);
    await term.waitFor('the exit', () => term.of('exit')[0]);
    expect(term.binary.map((b) => [b[0], b.subarray(1).toString()])).toEqual([[1, 'first\n']]);
    expect(term.of('exit')[0]).toEqual({ type: 'exit', exitCode: 0 });
  });

  it('holds back a part of the sequence until it is known not to be one', () => {
    const reader = new DetachKeysReader([0x10, 0x11]);
    expect(reader.feed(Buffer.from([0x61, 0x10]))).toEqual({
      forward: Buffer.from([0x61]),
      detached: false,
    });
    expect(reader.feed(Buffer.from([0x62]))).toEqual({
      forward: Buffer.from([0x10, 0x62]),
      detached: false,
    });
    expect(reader.feed(Buffer.from([0x10, 0x10, 0x11, 0x63]))).toEqual({
      forward: Buffer.from([0x10]),
      detached: true,
    });
  });
});
