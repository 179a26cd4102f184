import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry, StackDetail } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { testLoader } from '../../../testing/stack-doubles.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { StackCatalog } from '../stack-catalog.js';
import { StackStore } from '../stack-store.js';
import { StacksRepository } from '../stacks-repository.js';

const COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n';
const base = '/api/hosts/local/stacks';

describe('stack folders: files, history and restore', () => {
  let t: TestApp;
  let admin: ApiClient;
  let viewer: ApiClient;
  const outside = mkdtempSync(join(tmpdir(), 'berth-outside-'));

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    viewer = await tokenFor(await userSession(admin, 'stacks-viewer', 'viewer'));
    writeFileSync(join(outside, 'secret.txt'), 'do not read');
  });
  afterAll(async () => {
    await t.close();
    rmSync(outside, { recursive: true, force: true });
  });

  const create = (name: string, files: Record<string, string>) => admin.post(base, { name, files });

  it('creates a folder of files under the data dir, and refuses a second one of that name', async () => {
    const res = await create('shop', {
      'compose.yaml': COMPOSE,
      '.env': 'A=1\n',
      'conf/app.ini': 'x=1',
    });
    expect(res.statusCode).toBe(201);
    const detail = res.json<StackDetail>();
    expect(detail).toMatchObject({
      name: 'shop',
      source: 'berth',
      state: 'empty',
      adoptable: false,
    });
    expect(detail.services.map((s) => [s.name, s.state])).toEqual([['web', 'missing']]);
    expect(detail.files.map((f) => f.path).sort()).toEqual([
      '.env',
      'compose.yaml',
      'conf/app.ini',
    ]);
    const folder = join(t.stacksDir, 'local', 'shop');
    expect(readFileSync(join(folder, 'compose.yaml'), 'utf8')).toBe(COMPOSE);
    expect(detail.workingDir).toBe(folder);

    const again = await create('shop', { 'compose.yaml': COMPOSE });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('stack_exists');
  });

  it('refuses a stack without a compose file, naming the field, and leaves no folder', async () => {
    const res = await create('nocompose', { '.env': 'A=1' });
    expect(res.statusCode).toBe(400);
    expect(
      res.json<{ error: { details: { issues: { field: string }[] } } }>().error.details.issues[0]
        ?.field,
    ).toBe('body.files');
    expect(existsSync(join(t.stacksDir, 'local', 'nocompose'))).toBe(false);
  });

  it('reads and writes one file atomically, leaving no temporary file, and lists it in the stack', async () => {
    const put = await admin.request('PUT', `${base}/shop/files/conf/new/deep.txt`, {
      content: 'hello',
    });
    expect(put.statusCode).toBe(200);
    const folder = join(t.stacksDir, 'local', 'shop');
    expect(readFileSync(join(folder, 'conf/new/deep.txt'), 'utf8')).toBe('hello');
    expect(readdirSync(join(folder, 'conf/new'))).toEqual(['deep.txt']);
    const got = await viewer.get(`${base}/shop/files/conf/new/deep.txt`);
    expect(got.json()).toEqual({ path: 'conf/new/deep.txt', content: 'hello' });
    expect((await viewer.get(`${base}/shop/files/nope.txt`)).statusCode).toBe(404);
    // A viewer reads but does not write.
    const denied = await viewer.request('PUT', `${base}/shop/files/x.txt`, { content: 'no' });
    expect(denied.statusCode).toBe(403);
    expect(existsSync(join(folder, 'x.txt'))).toBe(false);
  });

  it('refuses a link out of the stack folder, for reading and for writing through it', async () => {
    const folder = join(t.stacksDir, 'local', 'shop');
    symlinkSync(join(outside, 'secret.txt'), join(folder, 'leak.txt'));
    symlinkSync(outside, join(folder, 'out'));
    const read = await admin.get(`${base}/shop/files/leak.txt`);
    expect(read.statusCode).toBe(400);
    expect(read.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'link_outside_stack',
    });
    expect(read.body).not.toContain('do not read');
    const write = await admin.request('PUT', `${base}/shop/files/out/planted.txt`, {
      content: 'x',
    });
    expect(write.statusCode).toBe(400);
    expect(existsSync(join(outside, 'planted.txt'))).toBe(false);
    // Links out are not part of the stack's files either.
    const detail = (await admin.get(`${base}/shop`)).json<StackDetail>();
    expect(detail.files.map((f) => f.path)).not.toContain('leak.txt');
    rmSync(join(folder, 'leak.txt'));
    rmSync(join(folder, 'out'));
  });

  it('keeps a version per change with who, when and why, newest first, and restores one', async () => {
    const update = await admin.request('PUT', `${base}/shop`, {
      files: { 'compose.yaml': COMPOSE.replace('nginx:1.27', 'nginx:1.28') },
      remove: ['conf/app.ini'],
      message: 'newer nginx',
    });
    expect(update.statusCode).toBe(200);
    const { versions } = (await viewer.get(`${base}/shop/history`)).json<{
      versions: { id: number; by: string | null; message: string | null; files: string[] }[];
    }>();
    expect(versions.map((v) => v.message)).toEqual([
      'newer nginx',
      'wrote conf/new/deep.txt',
      'created',
    ]);
    expect(versions[0]).toMatchObject({ by: 'admin' });
    expect(versions[0]?.files).not.toContain('conf/app.ini');
    const created = versions.at(-1);
    if (!created) throw new Error('no first version');
    const old = (await viewer.get(`${base}/shop/history/${created.id}`)).json<{
      files: Record<string, string>;
    }>();
    expect(old.files['compose.yaml']).toBe(COMPOSE);

    const restored = await admin.post(`${base}/shop/history/${created.id}/restore`);
    expect(restored.statusCode).toBe(200);
    const folder = join(t.stacksDir, 'local', 'shop');
    expect(readFileSync(join(folder, 'compose.yaml'), 'utf8')).toBe(COMPOSE);
    expect(readFileSync(join(folder, 'conf/app.ini'), 'utf8')).toBe('x=1');
    expect(existsSync(join(folder, 'conf/new/deep.txt'))).toBe(false);
    expect((await viewer.get(`${base}/shop/history/9999`)).statusCode).toBe(404);
  });

  it('keeps a change made outside Berth as a version of its own before the next change', async () => {
    const folder = join(t.stacksDir, 'local', 'shop');
    writeFileSync(join(folder, '.env'), 'A=2\n');
    await admin.request('PUT', `${base}/shop/files/.env`, { content: 'A=3\n' });
    const { versions } = (await admin.get(`${base}/shop/history`)).json<{
      versions: { id: number; by: string | null; message: string | null }[];
    }>();
    expect(versions.slice(0, 2).map((v) => [v.message, v.by])).toEqual([
      ['wrote .env', 'admin'],
      ['changed outside Berth', null],
    ]);
    const outsideVersion = versions[1];
    if (!outsideVersion) throw new Error('no version');
    const files = (await admin.get(`${base}/shop/history/${outsideVersion.id}`)).json<{
      files: Record<string, string>;
    }>().files;
    expect(files['.env']).toBe('A=2\n');
  });

  it('keeps the last 20 versions of a stack', async () => {
    expect((await create('busy', { 'compose.yaml': COMPOSE })).statusCode).toBe(201);
    for (let i = 1; i <= 21; i++)
      await admin.request('PUT', `${base}/busy/files/.env`, { content: `N=${i}\n` });
    const { versions } = (await admin.get(`${base}/busy/history`)).json<{
      versions: { message: string | null }[];
    }>();
    expect(versions).toHaveLength(20);
    expect(versions[0]?.message).toBe('wrote .env');
    expect(versions.map((v) => v.message)).not.toContain('created');
  });

  it('audits changes with the stack as target', async () => {
    const entries = (await admin.get('/api/audit?limit=200')).json<{ entries: AuditEntry[] }>()
      .entries;
    const actions = entries.filter((e) => e.target === 'local/shop').map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['stack.create', 'stack.update', 'stack.restore']),
    );
  });

  it('removes the folder and its history', async () => {
    expect((await create('gone', { 'compose.yaml': COMPOSE })).statusCode).toBe(201);
    const res = await admin.delete(`${base}/gone`);
    expect(res.statusCode).toBe(204);
    expect(existsSync(join(t.stacksDir, 'local', 'gone'))).toBe(false);
    expect((await admin.get(`${base}/gone`)).statusCode).toBe(404);
    expect((await create('gone', { 'compose.yaml': COMPOSE })).statusCode).toBe(201);
    const { versions } = (await admin.get(`${base}/gone/history`)).json<{ versions: unknown[] }>();
    expect(versions).toHaveLength(1);
  });
});

describe('what the compose loader may read', () => {
  let t: TestApp;
  const outside = mkdtempSync(join(tmpdir(), 'berth-outside-'));

  beforeAll(async () => {
    t = await startTestApp();
    writeFileSync(join(outside, 'secret.env'), 'TOKEN=do-not-read');
  });
  afterAll(async () => {
    await t.close();
    rmSync(outside, { recursive: true, force: true });
  });

  it('reads inside the stack folder only: a path or a link out of it reads as missing', async () => {
    const store = new StackStore(t.stacksDir);
    const folder = await store.createFolder('local', 'reader');
    await store.write(folder, 'compose.yaml', COMPOSE);
    await store.write(folder, 'app.env', 'A=1');
    symlinkSync(join(outside, 'secret.env'), join(folder, 'linked.env'));
    const seen: Record<string, string | null> = {};
    const catalog = new StackCatalog(t.hosts, store, new StacksRepository(t.db), async (input) => {
      for (const path of [
        join(folder, 'app.env'),
        join(folder, 'linked.env'),
        join(outside, 'secret.env'),
        join(folder, '..', '..', '..', 'secret.env'),
        '/etc/passwd',
      ])
        seen[path.slice(path.lastIndexOf('/') + 1)] = await input.read(path);
      return testLoader(input);
    });
    const { result, reads } = await catalog.loadProject({
      hostId: 'local',
      name: 'reader',
      folder,
      configFiles: undefined,
    });
    expect(result.ok).toBe(true);
    expect(seen).toEqual({
      'app.env': 'A=1',
      'linked.env': null,
      'secret.env': null,
      passwd: null,
    });
    expect(Object.keys(reads)).toContain('compose.yaml');
  });
});
