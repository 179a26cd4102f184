import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { DirectoryListing } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineRequestError } from '../../../docker/engine-errors.js';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import {
  archiveEntries,
  HttpDownloads,
  pauseUntilSettled,
  readAll,
  sha256,
} from '../../../testing/http-download.js';
import { SocketProxy } from '../../../testing/socket-proxy.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import {
  EngineFixtures,
  TEST_IMAGE,
  TEST_LABEL,
  testSocketPath,
} from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

const MB = 1024 * 1024;

/** The volume's tree, written by a container that mounts it at /data (and is kept, stopped). */
const TREE = [
  'cd /data',
  'mkdir -p sub/deep big big30',
  'echo hi > sub/deep/f.txt',
  'echo top > top.txt',
  'ln -s /etc etclink',
  'ln -s ../../ up',
  'ln -s ../../../etc/passwd sub/uppasswd',
  'ln -s /data/sub abs',
  'ln -s /data/top.txt absfile',
  'ln -s sub rel',
  'ln -s rel/deep chain',
  'ln -s chain chain2',
  'ln -s chain2/f.txt flink',
  'ln -s sub/deep/../../top.txt back',
  'ln -s rel/../.. esc',
  'ln -s l2 l1',
  'ln -s l1 l2',
  `head -c ${3 * MB} /dev/urandom > big/three.bin`,
  `head -c ${30 * MB} /dev/urandom > big30/thirty.bin`,
  'sha256sum big/three.bin big30/thirty.bin > sums.txt',
].join(' && ');

describe('volume files: links stay inside the volume, downloads stream and clean up', () => {
  const fixtures = new EngineFixtures();
  const volume = fixtures.name('files');
  const proxy = new SocketProxy(
    join(tmpdir(), `berth-vf-${fixtures.runId}.sock`),
    testSocketPath(),
  );
  let t: TestApp;
  let admin: ApiClient;
  let http: HttpDownloads;
  const sums = new Map<string, string>();
  const base = `/api/hosts/local/volumes/${volume}/files`;
  const q = (path: string, format?: string): string =>
    `?path=${encodeURIComponent(path)}${format ? `&format=${format}` : ''}`;

  const helpers = async (): Promise<string[]> =>
    (
      await fixtures.client.listContainers({
        label: ['io.berth.helper=true'],
        volume: [volume],
      })
    ).map((c) => c.Id);

  beforeAll(async () => {
    await proxy.listen();
    t = await startTestApp({ endpoint: { transport: 'unix', socketPath: proxy.path } });
    await t.hosts.get('local')?.state.whenSynced();
    admin = await setupAdmin(t.app);
    http = await HttpDownloads.listen(t.app, admin.headers);
    await fixtures.client.request('POST', '/volumes/create', {
      body: { Name: volume, Labels: { [TEST_LABEL]: fixtures.runId } },
    });
    const writer = await fixtures.client.request<{ Id: string }>('POST', '/containers/create', {
      query: { name: fixtures.name('writer') },
      body: {
        Image: TEST_IMAGE,
        Cmd: ['sh', '-c', TREE],
        Labels: { [TEST_LABEL]: fixtures.runId },
        HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
      },
    });
    await fixtures.start(writer.Id);
    const state = await waitFor('the tree written', async () => {
      const s = (
        await fixtures.client.request<{ State: { Running: boolean; ExitCode: number } }>(
          'GET',
          `/containers/${writer.Id}/json`,
        )
      ).State;
      return !s.Running && s;
    });
    expect(state.ExitCode).toBe(0);
    // Berth learns from the event stream that the writer mounts the volume at /data.
    await waitFor('the writer known', () =>
      t.hosts
        .get('local')
        ?.state.containers()
        .some((c) => c.id === writer.Id && c.state === 'exited'),
    );
    const listed = await admin.get(`${base}/download${q('/sums.txt')}`);
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

  it('lists links as links, with their own targets', async () => {
    const res = await admin.get(`${base}${q('/')}`);
    expect(res.statusCode, res.body).toBe(200);
    const links = Object.fromEntries(
      res
        .json<DirectoryListing>()
        .entries.filter((e) => e.type === 'symlink')
        .map((e) => [e.name, e.linkTarget]),
    );
    expect(links).toMatchObject({
      etclink: '/etc',
      up: '../../',
      abs: '/data/sub',
      l1: 'l2',
      chain2: 'chain',
    });
  });

  it('refuses listings and downloads through a link that leads out of the volume, naming it', async () => {
    const cases: [string, string, string][] = [
      [`${base}${q('/etclink')}`, '/etclink', '/etc'],
      [`${base}${q('/up')}`, '/up', '../../'],
      [`${base}${q('/up/etc')}`, '/up', '../../'],
      [`${base}/download${q('/etclink/passwd')}`, '/etclink', '/etc'],
      [`${base}/download${q('/etclink')}`, '/etclink', '/etc'],
      [`${base}/download${q('/etclink', 'tar')}`, '/etclink', '/etc'],
      [`${base}/download${q('/up/etc/passwd')}`, '/up', '../../'],
      [`${base}/download${q('/sub/uppasswd')}`, '/sub/uppasswd', '../../../etc/passwd'],
      // Through another link first: the one whose target climbs out is named.
      [`${base}${q('/esc')}`, '/esc', 'rel/../..'],
    ];
    for (const [url, link, target] of cases) {
      const res = await admin.get(url);
      expect(res.statusCode, url).toBe(400);
      const error = res.json<{ error: { code: string; message: string; details: unknown } }>()
        .error;
      expect(error.code, url).toBe('link_outside_root');
      expect(error.message).toContain(`${link} is a link to ${target}, outside volume ${volume}`);
      expect(error.details).toMatchObject({ issues: [{ field: 'query.path' }] });
      expect(res.body).not.toContain('root:x:0');
    }
    expect(await helpers()).toEqual([]);
  });

  it('follows links that stay inside: relative, absolute where a container mounts it, chains', async () => {
    const listing = async (path: string) =>
      (await admin.get(`${base}${q(path)}`)).json<DirectoryListing>();
    expect(await listing('/rel')).toMatchObject({
      path: '/sub',
      entries: [{ name: 'deep' }, { name: 'uppasswd', type: 'symlink' }],
    });
    expect((await listing('/abs')).path).toBe('/sub');
    expect(await listing('/chain2')).toMatchObject({
      path: '/sub/deep',
      entries: [{ name: 'f.txt', path: '/sub/deep/f.txt' }],
    });
    expect((await admin.get(`${base}/download${q('/chain2/f.txt')}`)).body).toBe('hi\n');
    expect((await admin.get(`${base}/download${q('/flink')}`)).body).toBe('hi\n');
    expect((await admin.get(`${base}/download${q('/absfile')}`)).body).toBe('top\n');
    expect((await admin.get(`${base}/download${q('/back')}`)).body).toBe('top\n');
  });

  it('refuses a link loop with a 400 naming the link', async () => {
    for (const url of [`${base}${q('/l1')}`, `${base}/download${q('/l2/x')}`]) {
      const res = await admin.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'link_loop' } });
      expect(res.json<{ error: { message: string } }>().error.message).toMatch(/\/l[12]/);
    }
  });

  it('downloads a folder with its links kept as links', async () => {
    const { res } = await http.open(`${base}/download${q('/sub')}`);
    expect(res.headers['content-type']).toBe('application/x-tar');
    const entries = await archiveEntries(res);
    expect(entries.get('sub/uppasswd')).toMatchObject({
      type: 'symlink',
      linkTarget: '../../../etc/passwd',
    });
    expect(entries.get('sub/deep/f.txt')?.sha256).toBe(sha256(Buffer.from('hi\n')));
  });

  it('downloads folders with 3 MB and 30 MB files whole, then removes the helper', async () => {
    for (const [folder, file] of [
      ['big', 'three.bin'],
      ['big30', 'thirty.bin'],
    ] as const) {
      const { res } = await http.open(`${base}/download${q(`/${folder}`)}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${folder}.tar"`);
      const entries = await archiveEntries(res);
      expect(entries.get(`${folder}/${file}`)?.sha256).toBe(sums.get(`${folder}/${file}`));
      await waitFor('no helper left', async () => (await helpers()).length === 0);
    }
  });

  it('downloads a 30 MB file as itself, with its length', async () => {
    const { res } = await http.open(`${base}/download${q('/big30/thirty.bin')}`);
    expect(res.headers['content-length']).toBe(String(30 * MB));
    expect(sha256(await readAll(res))).toBe(sums.get('big30/thirty.bin'));
    await waitFor('no helper left', async () => (await helpers()).length === 0);
  });

  it('answers a folder asked for as a raw file with a 400, and frees the helper', async () => {
    const res = await admin.get(`${base}/download${q('/big', 'raw')}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'not_a_file' } });
    await waitFor('no helper left', async () => (await helpers()).length === 0);
  });

  it('holds the engine back for a slow reader, which still gets everything', async () => {
    const sum = sums.get('big30/thirty.bin');
    for (const path of ['/big30', '/big30/thirty.bin']) {
      const { res } = await http.open(`${base}/download${q(path)}`);
      const { first, archive } = await pauseUntilSettled(res, proxy, 30 * MB);
      expect(archive.stalled, path).toBe(true);
      expect(archive.bytesDown, path).toBeLessThan(15 * MB);
      const whole = Buffer.concat([first, await readAll(res)]);
      if (path === '/big30') {
        const entries = await archiveEntries(Readable.from([whole]));
        expect(entries.get('big30/thirty.bin')?.sha256).toBe(sum);
      } else {
        expect(sha256(whole)).toBe(sum);
      }
      await waitFor('no helper left', async () => (await helpers()).length === 0);
    }
  });

  it('leaves no helper and a responsive engine when the client goes away mid-download', async () => {
    for (const path of ['/big30', '/big30/thirty.bin']) {
      const { req, res } = await http.open(`${base}/download${q(path)}`);
      await new Promise((resolve) => res.once('data', resolve));
      const [helper] = await helpers();
      expect(helper).toBeDefined();
      req.destroy();
      await waitFor('the helper removed', async () => (await helpers()).length === 0);
      // An archive left open would hold the engine's lock on it: inspect would hang.
      const inspected = await fixtures.client
        .request('GET', `/containers/${helper ?? ''}/json`, { timeoutMs: 10_000 })
        .catch((err: unknown) => err);
      expect(inspected).toBeInstanceOf(EngineRequestError);
      expect((inspected as EngineRequestError).statusCode).toBe(404);
    }
  });
});
