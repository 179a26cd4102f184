import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { extract, pack, type Header } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../../e2e/berth-process.js';
import { ContainersApi } from '../../../server/src/docker/containers-api.js';
import { EngineFixtures, TEST_LABEL } from '../../../server/src/testing/test-engine.js';
import { waitFor } from '../../../server/src/testing/wait-for.js';
import { cliMain, CliWorld } from './cli-harness.js';

const world = new CliWorld();
const engine = new EngineFixtures();
const volume = engine.name('cp-vol');
let name = '';
let id = '';

/** Runs the CLI with bytes on stdin and its stdout kept as bytes (tars go through it). */
function runBytes(
  args: string[],
  env: Record<string, string>,
  input: Buffer = Buffer.alloc(0),
): Promise<{ code: number | null; out: Buffer; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliMain, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', HOME: world.home, ...env },
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: Buffer.concat(out), err }));
    child.stdin.end(input);
  });
}

async function tarOf(
  entries: { header: Partial<Header> & Pick<Header, 'name'>; content?: Buffer }[],
): Promise<Buffer> {
  const archive = pack();
  for (const { header, content } of entries) archive.entry(header, content ?? Buffer.alloc(0));
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** An archive's entries below its root entry: name -> type, mode and content. */
async function treeOf(archive: Buffer): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  const parser = extract();
  let root: string | null = null;
  await new Promise<void>((resolve, reject) => {
    parser.on('entry', (header, body, next) => {
      const chunks: Buffer[] = [];
      body.on('data', (c) => {
        chunks.push(c as Buffer);
      });
      body.on('end', () => {
        const bare = header.name.replace(/\/$/, '');
        root ??= bare;
        const rel = bare === root ? '.' : bare.slice(root.length + 1);
        const content = Buffer.concat(chunks).toString('hex').slice(0, 64);
        const sum =
          header.type === 'file' ? `${chunks.reduce((n, c) => n + c.length, 0)}:${content}` : '';
        found[rel] = `${header.type} ${((header.mode ?? 0) & 0o7777).toString(8)} ${sum}`;
        next();
      });
    });
    parser.on('finish', resolve);
    parser.on('error', reject);
    Readable.from([archive]).pipe(parser);
  });
  return found;
}

/** A viewer granted the local host (the harness's users are granted none). */
async function viewerOfLocal(username: string): Promise<string> {
  const password = `${username} password 123`;
  const user = { username, password, role: 'viewer', hosts: ['local'], mustChangePassword: false };
  const made = await call(world.base, 'POST', '/api/users', user, world.adminCookie);
  if (made.status !== 201) throw new Error(`user: ${made.status} ${made.body}`);
  const login = await call(world.base, 'POST', '/api/auth/login', { username, password });
  return world.tokenFor(login.cookie ?? '', `${username} token`);
}

/** A local tree: a folder 0750 with a binary file 0600, a script 0755 and a sub folder. */
function localTree(at: string, blob: Buffer): void {
  mkdirSync(join(at, 'sub'), { recursive: true });
  writeFileSync(join(at, 'blob.bin'), blob);
  chmodSync(join(at, 'blob.bin'), 0o600);
  writeFileSync(join(at, 'sub', 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(at, 'sub', 'run.sh'), 0o755);
  chmodSync(join(at, 'sub'), 0o700);
  chmodSync(at, 0o750);
}
const mode = (path: string): string => (statSync(path).mode & 0o7777).toString(8);

beforeAll(async () => {
  await world.start();
  const script = [
    'mkdir -p /srv/tree/sub /srv/in',
    'head -c 200000 /dev/urandom > /srv/tree/blob.bin',
    'chmod 600 /srv/tree/blob.bin',
    'printf "#!/bin/sh\\n" > /srv/tree/sub/run.sh',
    'chmod 755 /srv/tree/sub/run.sh',
    'chmod 750 /srv/tree/sub',
    'touch /srv/ready',
    'sleep 300',
  ].join(' && ');
  id = await engine.createContainer('cp', ['sh', '-c', script]);
  name = engine.name('cp');
  await engine.start(id);
  const files = new ContainersApi(engine.client);
  await waitFor('the tree in the container', () => files.pathExists(id, '/srv/ready'));
  await engine.client.request('POST', '/volumes/create', {
    body: { Name: volume, Labels: { [TEST_LABEL]: engine.runId } },
  });
});
afterAll(async () => {
  await engine.cleanup();
  await world.stop();
});

describe('berth cp', () => {
  it('copies a folder container -> local -> container, bytes and modes the same', async () => {
    const local = join(world.home, 'out');
    mkdirSync(local);
    const down = await world.run(['cp', `${name}:/srv/tree`, local], { env: world.env() });
    expect(down.err).toMatch(/^Successfully copied/);
    expect(down.code).toBe(0);
    // Onto an existing folder: inside it, as docker cp.
    const tree = join(local, 'tree');
    expect([mode(tree), mode(join(tree, 'sub')), mode(join(tree, 'blob.bin'))]).toEqual([
      '755',
      '750',
      '600',
    ]);
    expect(mode(join(tree, 'sub', 'run.sh'))).toBe('755');

    const up = await world.run(['cp', tree, `${name}:/srv/in/copy`], { env: world.env() });
    expect(up.code, up.err).toBe(0);
    const original = await runBytes(['cp', `${name}:/srv/tree`, '-'], world.env());
    const copied = await runBytes(['cp', `${name}:/srv/in/copy`, '-'], world.env());
    expect(original.code).toBe(0);
    const want = await treeOf(original.out);
    expect(Object.keys(want).sort()).toEqual(['.', 'blob.bin', 'sub', 'sub/run.sh']);
    expect(await treeOf(copied.out)).toEqual(want);
  });

  it('copies a random binary file both ways, and a folder\'s contents with "/."', async () => {
    const blob = randomBytes(123_457);
    const file = join(world.home, 'blob.bin');
    writeFileSync(file, blob);
    chmodSync(file, 0o640);
    expect((await world.run(['cp', file, `${name}:/srv/in/`], { env: world.env() })).code).toBe(0);
    const back = join(world.home, 'blob-back.bin');
    const down = await world.run(['cp', `${name}:/srv/in/blob.bin`, back], { env: world.env() });
    expect(down.code, down.err).toBe(0);
    expect(readFileSync(back).equals(blob)).toBe(true);
    expect(mode(back)).toBe('640');

    const contents = join(world.home, 'contents');
    mkdirSync(contents);
    const dot = await world.run(['cp', `${name}:/srv/tree/.`, contents], { env: world.env() });
    expect(dot.code, dot.err).toBe(0);
    expect(existsSync(join(contents, 'blob.bin'))).toBe(true);
    expect(existsSync(join(contents, 'tree'))).toBe(false);
  });

  it('copies a local tree into a volume and back, bytes and modes the same', async () => {
    const blob = randomBytes(77_777);
    const src = join(world.home, 'vol-src');
    localTree(src, blob);
    const up = await world.run(['cp', src, `volume:${volume}:/`], { env: world.env() });
    expect(up.code, up.err).toBe(0);
    const back = join(world.home, 'vol-back');
    const down = await world.run(['cp', `volume:${volume}:/vol-src`, back], { env: world.env() });
    expect(down.code, down.err).toBe(0);
    expect(readFileSync(join(back, 'blob.bin')).equals(blob)).toBe(true);
    expect(readFileSync(join(back, 'sub', 'run.sh'), 'utf8')).toBe('#!/bin/sh\necho hi\n');
    expect([mode(back), mode(join(back, 'sub')), mode(join(back, 'blob.bin'))]).toEqual([
      '750',
      '700',
      '600',
    ]);
    expect(mode(join(back, 'sub', 'run.sh'))).toBe('755');

    // "src/." onto an existing folder: the contents, not the folder.
    const dot = await world.run(['cp', `${src}/.`, `${name}:/srv`], { env: world.env() });
    expect(dot.code, dot.err).toBe(0);
    const files = new ContainersApi(engine.client);
    expect(await files.pathExists(id, '/srv/sub/run.sh')).toBe(true);
    expect(await files.pathExists(id, '/srv/vol-src')).toBe(false);
  });

  it('takes a tar on stdin and gives one on stdout with "-"', async () => {
    const content = randomBytes(4096);
    const archive = await tarOf([
      { header: { name: 'piped', type: 'directory', mode: 0o711 } },
      { header: { name: 'piped/data.bin', mode: 0o604, size: content.length }, content },
    ]);
    const up = await runBytes(['cp', '-', `${name}:/srv/in`], world.env(), archive);
    expect(up.code, up.err).toBe(0);
    const down = await runBytes(['cp', `${name}:/srv/in/piped`, '-'], world.env());
    expect(down.code).toBe(0);
    expect(await treeOf(down.out)).toEqual({
      '.': 'directory 711 ',
      'data.bin': `file 604 4096:${content.toString('hex').slice(0, 64)}`,
    });
  });

  it("fails with the server's message: a missing path, a viewer uploading, an entry outside", async () => {
    const missing = await world.run(['cp', `${name}:/no/such/file`, join(world.home, 'x')], {
      env: world.env(),
    });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('No such file or folder: /no/such/file');

    const viewer = await viewerOfLocal('cp-viewer');
    const file = join(world.home, 'viewer.txt');
    writeFileSync(file, 'viewer');
    const refused = await world.run(['cp', file, `${name}:/srv/in/`], { env: world.env(viewer) });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^error: forbidden/);

    const evil = await tarOf([
      { header: { name: 'fine.txt', size: 2 }, content: Buffer.from('ok') },
      { header: { name: '../escaped.txt', size: 2 }, content: Buffer.from('no') },
    ]);
    const outside = await runBytes(['cp', '-', `${name}:/srv/in`], world.env(), evil);
    expect(outside.code).toBe(1);
    expect(outside.err).toContain('archive_outside_root');
    const files = new ContainersApi(engine.client);
    expect(await files.pathExists(id, '/srv/in/fine.txt')).toBe(false);
    expect(await files.pathExists(id, '/srv/escaped.txt')).toBe(false);
  });

  it('prints the docker command and the request under --dry-run, and copies nothing', async () => {
    const file = join(world.home, 'dry.txt');
    writeFileSync(file, 'dry');
    const dry = await world.run(['--dry-run', 'cp', file, `${name}:/srv/in/dry.txt`], {
      env: world.env(),
    });
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain(`docker cp ${file} ${name}:/srv/in/dry.txt`);
    expect(dry.out).toMatch(
      /PUT \/api\/hosts\/local\/containers\/.+\/files\/archive\?path=%2Fsrv%2Fin/,
    );
    expect(await new ContainersApi(engine.client).pathExists(id, '/srv/in/dry.txt')).toBe(false);
    const usage = await world.run(['cp', 'a', 'b'], { env: world.env() });
    expect(usage.code).toBe(2);
  });
});
