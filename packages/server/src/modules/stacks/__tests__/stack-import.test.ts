import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AuditEntry, StackDetail } from '@berth/contract';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarFiles, type ArchiveEntry } from '../../../docker/tar-write.js';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';

const COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n';
const base = '/api/hosts/local/stacks';
const TAR = { 'content-type': 'application/x-tar' };

const file = (name: string, text: string): ArchiveEntry => ({
  name,
  content: Buffer.from(text),
});

/** An archive with one character device, which tarFiles cannot write. */
async function deviceArchive(): Promise<Buffer> {
  const archive = pack();
  archive.entry({ name: 'compose.yaml' }, COMPOSE);
  archive.entry({ name: 'null', type: 'character-device', devmajor: 1, devminor: 3 });
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

type Failure = {
  error: { code: string; message: string; details: { issues: { field: string }[] } };
};

describe('stacks from an upload', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t.close();
  });

  const upload = async (name: string, entries: ArchiveEntry[] | Buffer) =>
    admin.request(
      'POST',
      `${base}/${name}/import`,
      Buffer.isBuffer(entries) ? entries : await tarFiles(entries),
      TAR,
    );

  it('creates a stack from a tar of its folder, on disk, and refuses a second of that name', async () => {
    const res = await upload('shop', [
      { name: 'shop/', type: 'directory' },
      file('shop/compose.yaml', COMPOSE),
      file('shop/.env', 'A=1\n'),
      file('shop/conf/app.ini', 'x=1'),
    ]);
    expect(res.statusCode).toBe(201);
    const detail = res.json<StackDetail>();
    expect(detail.services.map((s) => s.name)).toEqual(['web']);
    expect(detail.files.map((f) => f.path).sort()).toEqual([
      '.env',
      'compose.yaml',
      'conf/app.ini',
    ]);
    const folder = join(t.stacksDir, 'local', 'shop');
    expect(readFileSync(join(folder, 'conf/app.ini'), 'utf8')).toBe('x=1');

    const again = await upload('shop', [file('compose.yaml', COMPOSE)]);
    expect(again.statusCode).toBe(409);
    expect(again.json<Failure>().error.code).toBe('stack_exists');
  });

  it('takes a .tar.gz as well, inflated within the same limits', async () => {
    const res = await upload(
      'zipped',
      gzipSync(await tarFiles([file('compose.yaml', COMPOSE), file('.env', 'B=2\n')])),
    );
    expect(res.statusCode).toBe(201);
    expect(readFileSync(join(t.stacksDir, 'local', 'zipped', '.env'), 'utf8')).toBe('B=2\n');
    // A small archive that inflates past the limit is cut short, not written.
    const bomb = gzipSync(await tarFiles([file('compose.yaml', 'x'.repeat(20 * 1024 * 1024))]));
    expect(bomb.length).toBeLessThan(100_000);
    const refused = await upload('bomb', bomb);
    expect(refused.statusCode).toBe(413);
    expect(existsSync(join(t.stacksDir, 'local', 'bomb'))).toBe(false);
  });

  it('creates a stack from one compose file', async () => {
    const res = await admin.request('POST', `${base}/single/import/compose`, COMPOSE, {
      'content-type': 'application/yaml',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<StackDetail>().services.map((s) => s.name)).toEqual(['web']);
    const written = readFileSync(join(t.stacksDir, 'local', 'single', 'compose.yaml'), 'utf8');
    expect(written).toBe(COMPOSE);
  });

  it.each([
    [
      'an absolute path',
      [file('compose.yaml', COMPOSE), file('/etc/cron.d/x', 'evil')],
      '/etc/cron.d/x',
    ],
    ['a ".."', [file('compose.yaml', COMPOSE), file('conf/../../x', 'evil')], 'conf/../../x'],
    [
      'a symlink',
      [
        file('compose.yaml', COMPOSE),
        { name: 'passwd', type: 'symlink', linkTarget: '/etc/passwd' },
      ],
      'passwd',
    ],
  ] as [string, ArchiveEntry[], string][])(
    'refuses an archive with %s, naming the entry, and leaves no folder',
    async (_what, entries, entry) => {
      const res = await upload('bad', entries);
      expect(res.statusCode).toBe(400);
      const { error } = res.json<Failure>();
      expect(error.code).toBe('archive_entry_refused');
      expect(error.message.startsWith(`${entry}:`)).toBe(true);
      expect(error.details.issues[0]?.field).toBe('body');
      expect(existsSync(join(t.stacksDir, 'local', 'bad'))).toBe(false);
    },
  );

  it('refuses a device entry, a file over 1 MiB, and an archive without a compose file', async () => {
    const device = await upload('bad', await deviceArchive());
    expect(device.statusCode).toBe(400);
    expect(device.json<Failure>().error.message).toMatch(/^null: a device/);

    const big = await upload('bad', [
      file('compose.yaml', COMPOSE),
      file('big.bin', 'x'.repeat(1024 * 1024 + 1)),
    ]);
    expect(big.statusCode).toBe(413);
    expect(big.json<Failure>().error.message).toMatch(/^big\.bin: over 1 MiB/);

    const none = await upload('bad', [file('readme.md', 'hi')]);
    expect(none.statusCode).toBe(400);
    expect(none.json<Failure>().error.code).toBe('compose_file_missing');

    const garbage = await upload('bad', Buffer.from('not a tar archive at all'.repeat(40)));
    expect(garbage.statusCode).toBe(400);
    expect(existsSync(join(t.stacksDir, 'local', 'bad'))).toBe(false);
    expect(readdirSync(join(t.stacksDir, 'local')).sort()).toEqual(['shop', 'single', 'zipped']);
  });

  it('refuses another content type than tar with a 415', async () => {
    const res = await admin.request('POST', `${base}/other/import`, { a: 1 });
    expect(res.statusCode).toBe(415);
  });

  it('audits the import with the stack as target and the files it wrote', async () => {
    const entries = (await admin.get('/api/audit?limit=200')).json<{ entries: AuditEntry[] }>()
      .entries;
    const imports = entries.filter((e) => e.action === 'stack.import' && e.target === 'local/shop');
    expect(imports.map((e) => e.details)).toContainEqual({
      files: ['.env', 'compose.yaml', 'conf/app.ini'],
    });
  });
});
