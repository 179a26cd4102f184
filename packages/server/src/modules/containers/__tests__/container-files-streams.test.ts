import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { DirectoryListing } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainersApi } from '../../../docker/containers-api.js';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import {
  archiveEntries,
  HttpDownloads,
  latestArchive,
  pauseUntilSettled,
  readAll,
  sha256,
} from '../../../testing/http-download.js';
import { SocketProxy } from '../../../testing/socket-proxy.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, testSocketPath } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

const MB = 1024 * 1024;

const TREE = [
  'mkdir -p /srv/app',
  'cd /srv/app',
  'mkdir -p sub big big30',
  'echo marker > /etc/berth-marker',
  'echo hi > sub/f.txt',
  'ln -s /etc etclink',
  'ln -s ../../../../../ up',
  'ln -s sub rel',
  'ln -s /etc/berth-marker marker',
  'ln -s l2 l1',
  'ln -s l1 l2',
  `head -c ${3 * MB} /dev/urandom > big/three.bin`,
  `head -c ${30 * MB} /dev/urandom > big30/thirty.bin`,
  'sha256sum big/three.bin big30/thirty.bin > sums.txt',
  'touch ready',
  'exec sleep 300',
].join(' && ');

describe('container files: links resolve within the container, downloads stream', () => {
  const fixtures = new EngineFixtures();
  const proxy = new SocketProxy(
    join(tmpdir(), `berth-cf-${fixtures.runId}.sock`),
    testSocketPath(),
  );
  let t: TestApp;
  let admin: ApiClient;
  let http: HttpDownloads;
  let id: string;
  let base: string;
  const sums = new Map<string, string>();
  const q = (path: string, format?: string): string =>
    `?path=${encodeURIComponent(path)}${format ? `&format=${format}` : ''}`;

  beforeAll(async () => {
    await proxy.listen();
    t = await startTestApp({ endpoint: { transport: 'unix', socketPath: proxy.path } });
    await t.hosts.get('local')?.state.whenSynced();
    admin = await setupAdmin(t.app);
    http = await HttpDownloads.listen(t.app, admin.headers);
    id = await fixtures.createContainer('files', ['sh', '-c', TREE]);
    await fixtures.start(id);
    const api = new ContainersApi(fixtures.client);
    await waitFor('the tree written', () => api.pathExists(id, '/srv/app/ready'), 60_000);
    base = `/api/hosts/local/containers/${id}/files`;
    const listed = await admin.get(`${base}/download${q('/srv/app/sums.txt')}`);
    for (const line of listed.body.trim().split('\n')) {
      const [sum = '', name = ''] = line.split(/\s+/);
      sums.set(name, sum);
    }
    expect(sums.size).toBe(2);
  });
  afterAll(async () => {
    await t.close();
    await proxy.goDark();
    await fixtures.cleanup();
  });

  it("follows links within the container's own filesystem, never beyond it", async () => {
    const etc = (await admin.get(`${base}${q('/srv/app/etclink')}`)).json<DirectoryListing>();
    expect(etc.path).toBe('/etc');
    expect(etc.entries.map((e) => e.name)).toContain('berth-marker');
    // "../" past the top stays at the container's own root, as in the container itself.
    const up = (await admin.get(`${base}${q('/srv/app/up')}`)).json<DirectoryListing>();
    expect(up.path).toBe('/');
    expect(up.entries.map((e) => e.name)).toContain('srv');
    expect((await admin.get(`${base}${q('/srv/app/rel')}`)).json()).toMatchObject({
      path: '/srv/app/sub',
    });
    for (const path of [
      '/srv/app/etclink/berth-marker',
      '/srv/app/marker',
      '/srv/app/up/etc/berth-marker',
    ]) {
      const res = await admin.get(`${base}/download${q(path)}`);
      expect(res.body, path).toBe('marker\n');
    }
    const app = (await admin.get(`${base}${q('/srv/app')}`)).json<DirectoryListing>();
    expect(app.entries.find((e) => e.name === 'etclink')).toMatchObject({
      type: 'symlink',
      linkTarget: '/etc',
    });
  });

  it('refuses a link loop with a 400 naming the path', async () => {
    for (const url of [`${base}${q('/srv/app/l1')}`, `${base}/download${q('/srv/app/l2')}`]) {
      const res = await admin.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'link_loop' } });
      expect(res.json<{ error: { message: string } }>().error.message).toContain('/srv/app/l');
      expect(res.body).not.toContain('overlay2');
    }
  });

  it('uploads through a link into the container, never out of it', async () => {
    const put = (path: string, text: string) =>
      admin.request('PUT', `${base}${q(path)}`, Buffer.from(text), {
        'content-type': 'application/octet-stream',
      });
    expect((await put('/srv/app/etclink/uploaded.txt', 'up\n')).statusCode).toBe(200);
    expect((await admin.get(`${base}/download${q('/etc/uploaded.txt')}`)).body).toBe('up\n');
    expect((await put('/srv/app/up/uploaded-root.txt', 'root\n')).statusCode).toBe(200);
    expect((await admin.get(`${base}/download${q('/uploaded-root.txt')}`)).body).toBe('root\n');
  });

  it('downloads folders with 3 MB and 30 MB files, and a 30 MB file, whole', async () => {
    for (const [folder, file] of [
      ['big', 'three.bin'],
      ['big30', 'thirty.bin'],
    ] as const) {
      const { res } = await http.open(`${base}/download${q(`/srv/app/${folder}`)}`);
      expect(res.headers['content-type']).toBe('application/x-tar');
      const entries = await archiveEntries(res);
      expect(entries.get(`${folder}/${file}`)?.sha256).toBe(sums.get(`${folder}/${file}`));
    }
    const { res } = await http.open(`${base}/download${q('/srv/app/big30/thirty.bin')}`);
    expect(res.headers['content-length']).toBe(String(30 * MB));
    expect(sha256(await readAll(res))).toBe(sums.get('big30/thirty.bin'));
  });

  it('holds the engine back for a slow reader, which still gets everything', async () => {
    const sum = sums.get('big30/thirty.bin');
    for (const path of ['/srv/app/big30', '/srv/app/big30/thirty.bin']) {
      const { res } = await http.open(`${base}/download${q(path)}`);
      const { first, archive } = await pauseUntilSettled(res, proxy, 30 * MB);
      expect(archive.stalled, path).toBe(true);
      expect(archive.bytesDown, path).toBeLessThan(15 * MB);
      const whole = Buffer.concat([first, await readAll(res)]);
      if (path.endsWith('.bin')) expect(sha256(whole)).toBe(sum);
      else {
        const entries = await archiveEntries(Readable.from([whole]));
        expect(entries.get('big30/thirty.bin')?.sha256).toBe(sum);
      }
    }
  });

  it('releases the engine connection when the client goes away, and the engine still answers', async () => {
    for (const path of [
      '/srv/app/big30',
      '/srv/app/big30/thirty.bin',
      '/srv/app/big30?format=tar',
    ]) {
      const [file, format] = path.split('?format=');
      const { req, res } = await http.open(`${base}/download${q(file ?? '', format)}`);
      await new Promise((resolve) => res.once('data', resolve));
      const archive = await waitFor('the archive stream', () => latestArchive(proxy));
      expect(archive.closed).toBe(false);
      req.destroy();
      await waitFor('the archive connection closed', () => archive.closed);
      // An archive left open would hold the engine's lock on the container: inspect would hang.
      const inspected = await fixtures.client.request<{ State: { Running: boolean } }>(
        'GET',
        `/containers/${id}/json`,
        { timeoutMs: 10_000 },
      );
      expect(inspected.State.Running).toBe(true);
    }
  });
});
