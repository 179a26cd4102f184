import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarEntries } from '../../../docker/tar.js';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';

describe('container logs and files', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let operator: ApiClient;
  let viewer: ApiClient;
  let id: string;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'files-op', 'operator');
    viewer = await userSession(admin, 'files-viewer', 'viewer');
    id = await fixtures.createContainer('io', [
      'sh',
      '-c',
      'for i in 1 2 3 4 5; do echo "line $i"; done; echo "oops" >&2; mkdir -p /srv/app/sub; echo hi > /srv/app/readme.txt; sleep 300',
    ]);
    await fixtures.start(id);
    base = `/api/hosts/local/containers/${id}`;
    // Wait until the script has written its files and lines.
    for (let i = 0; i < 100; i += 1) {
      const res = await operator.get(`${base}/logs?tail=all`);
      if (res.json<{ lines: unknown[] }>().lines.length >= 6) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('returns log history with tail, stream selection, timestamps and a filter', async () => {
    const all = (await viewer.get(`${base}/logs?tail=all`)).json<{
      lines: { stream: string; text: string }[];
      cli: string;
    }>();
    expect(all.lines.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual([
      'line 1',
      'line 2',
      'line 3',
      'line 4',
      'line 5',
    ]);
    expect(all.lines.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(['oops']);
    expect(all.cli).toBe(`docker logs ${fixtures.name('io')}`);

    const stderrOnly = (await viewer.get(`${base}/logs?tail=all&stdout=false`)).json<{
      lines: { text: string }[];
    }>();
    expect(stderrOnly.lines.map((l) => l.text)).toEqual(['oops']);

    const stamped = (await viewer.get(`${base}/logs?tail=3&stderr=false&timestamps=true`)).json<{
      lines: { text: string; timestamp: string }[];
    }>();
    // stdout and stderr reach the log through separate pipes, so "oops" may sit before or
    // after "line 5": the last three lines hold two or three of the stdout ones.
    const texts = stamped.lines.map((l) => l.text);
    expect(texts.slice(-2)).toEqual(['line 4', 'line 5']);
    expect(texts.length).toBeLessThanOrEqual(3);
    expect(Date.parse(stamped.lines[0]?.timestamp ?? '')).toBeGreaterThan(Date.now() - 600_000);

    const filtered = (await viewer.get(`${base}/logs?tail=all&filter=line%203`)).json<{
      lines: { text: string }[];
      cli: string;
    }>();
    expect(filtered.lines.map((l) => l.text)).toEqual(['line 3']);
    expect(filtered.cli).toContain("grep --fixed-strings 'line 3'");

    const future = (
      await viewer.get(`${base}/logs?tail=all&since=${Math.floor(Date.now() / 1000) + 3600}`)
    ).json<{ lines: unknown[] }>();
    expect(future.lines).toEqual([]);
  });

  it('downloads logs as a text file', async () => {
    const res = await viewer.get(`${base}/logs/download?tail=all&stderr=false`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="berth-test-io-.*\.log"$/,
    );
    expect(res.body).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
  });

  it('lists a folder', async () => {
    const res = await viewer.get(`${base}/files?path=/srv/app/`);
    expect(res.statusCode, res.body).toBe(200);
    const listing = res.json<{
      path: string;
      entries: { name: string; type: string; size: number; path: string }[];
    }>();
    expect(listing.path).toBe('/srv/app');
    expect(listing.entries.map((e) => [e.name, e.type])).toEqual([
      ['sub', 'directory'],
      ['readme.txt', 'file'],
    ]);
    expect(listing.entries.find((e) => e.name === 'readme.txt')).toMatchObject({
      size: 3,
      path: '/srv/app/readme.txt',
    });
    const rootBin = (await viewer.get(`${base}/files?path=/bin`)).json<{
      entries: { name: string; type: string }[];
    }>();
    expect(rootBin.entries.find((e) => e.name === 'sh')).toMatchObject({ type: 'symlink' });
  });

  it('uploads a file and downloads the same bytes, as itself and as tar', async () => {
    const bytes = randomBytes(300_000);
    const up = await operator.request('PUT', `${base}/files?path=/srv/app/sub/blob.bin`, bytes, {
      'content-type': 'application/octet-stream',
    });
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json()).toMatchObject({ path: '/srv/app/sub/blob.bin', size: 300_000 });

    const raw = await operator.get(`${base}/files/download?path=/srv/app/sub/blob.bin`);
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-disposition']).toBe('attachment; filename="blob.bin"');
    expect(raw.rawPayload.equals(bytes)).toBe(true);

    const tar = await operator.get(`${base}/files/download?path=/srv/app`);
    expect(tar.headers['content-type']).toBe('application/x-tar');
    const found: Record<string, Buffer | null> = {};
    const chunks = Readable.from([tar.rawPayload]);
    for await (const { entry, body } of readTarEntries(chunks, 1_000_000)) found[entry.name] = body;
    expect(found['app/sub/blob.bin']?.equals(bytes)).toBe(true);
    expect(found['app/readme.txt']?.toString()).toBe('hi\n');
    const downloads = await t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('action', '=', 'container.file_download')
      .execute();
    expect(downloads).toEqual([
      { action: 'container.file_download', outcome: 'success' },
      { action: 'container.file_download', outcome: 'success' },
    ]);
  });

  it('refuses relative and ".." paths, and answers 404 for what is not there', async () => {
    for (const path of ['../../etc/passwd', 'etc/passwd', '/srv/../../etc/passwd', '/srv/app/..']) {
      const res = await operator.get(`${base}/files/download?path=${encodeURIComponent(path)}`);
      expect(res.statusCode, path).toBe(400);
      expect(res.json(), path).toMatchObject({ error: { code: 'invalid_path' } });
    }
    const up = await operator.request(
      'PUT',
      `${base}/files?path=${encodeURIComponent('../x')}`,
      Buffer.from('x'),
      {
        'content-type': 'application/octet-stream',
      },
    );
    expect(up.statusCode).toBe(400);
    expect((await operator.get(`${base}/files?path=/no/such/dir`)).statusCode).toBe(404);
    expect((await operator.get(`${base}/files/download?path=/no/such/file`)).statusCode).toBe(404);
  });

  it('lets viewers list but not download or upload', async () => {
    expect((await viewer.get(`${base}/files/download?path=/srv/app/readme.txt`)).statusCode).toBe(
      403,
    );
    const up = await viewer.request('PUT', `${base}/files?path=/tmp/x`, Buffer.from('x'), {
      'content-type': 'application/octet-stream',
    });
    expect(up.statusCode).toBe(403);
  });
});
