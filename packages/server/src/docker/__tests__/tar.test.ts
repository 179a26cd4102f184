import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseContainerPath, readTarEntries, type TarEntry } from '../tar.js';
import { packArchive, tarFiles } from '../tar-write.js';

const tarSingleFile = (name: string, content: Buffer, mode?: number, mtime?: Date) =>
  tarFiles([{ name, content, mode, mtime }]);

interface Parsed {
  entry: TarEntry;
  body: Buffer | null;
}

async function* chunksOf(archive: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < archive.length; offset += size) {
    // A real turn of the event loop between chunks, as from a socket.
    await new Promise<void>((resolve) => setImmediate(resolve));
    yield archive.subarray(offset, offset + size);
  }
}

async function parse(archive: Buffer, maxBodyBytes = 0, chunkSize = 65536): Promise<Parsed[]> {
  const out: Parsed[] = [];
  for await (const item of readTarEntries(chunksOf(archive, chunkSize), maxBodyBytes)) {
    out.push(item);
  }
  return out;
}

function byName(items: Parsed[]): Map<string, Parsed> {
  return new Map(items.map((item) => [item.entry.name.replace(/^\.\//, ''), item]));
}

/** Edits the header block at `offset` and restores a valid checksum, to craft variants. */
function patchHeader(archive: Buffer, offset: number, edit: (block: Buffer) => void): Buffer {
  const copy = Buffer.from(archive);
  const block = copy.subarray(offset, offset + 512);
  edit(block);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return copy;
}

const longBase = 'n'.repeat(150);
const longTarget = `${'t'.repeat(60)}/${'u'.repeat(89)}`;
const fixedTime = new Date('2024-03-04T05:06:07Z');

let workDir = '';
let sourceDir = '';
let ustarDir = '';

function systemTar(dir: string, format?: string): Buffer {
  const args = ['-C', dir, ...(format === undefined ? [] : [`--format=${format}`]), '-c', '.'];
  const result = spawnSync('tar', args, { maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`tar failed: ${result.stderr.toString()}`);
  return result.stdout;
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'berth-tar-'));
  sourceDir = join(workDir, 'source');
  mkdirSync(join(sourceDir, 'nested', 'deeper'), { recursive: true });
  writeFileSync(join(sourceDir, 'hello.txt'), 'hello\n');
  chmodSync(join(sourceDir, 'hello.txt'), 0o640);
  utimesSync(join(sourceDir, 'hello.txt'), fixedTime, fixedTime);
  writeFileSync(join(sourceDir, 'nested', 'deeper', 'inner.bin'), Buffer.alloc(1500, 7));
  chmodSync(join(sourceDir, 'nested', 'deeper', 'inner.bin'), 0o755);
  chmodSync(join(sourceDir, 'nested'), 0o750);
  writeFileSync(join(sourceDir, longBase), 'long name\n');
  symlinkSync('hello.txt', join(sourceDir, 'link'));
  symlinkSync(longTarget, join(sourceDir, 'long-link'));
  linkSync(join(sourceDir, 'hello.txt'), join(sourceDir, 'hard'));

  // ustar cannot hold a 150-byte basename, but can hold a long path split at a slash.
  ustarDir = join(workDir, 'ustar');
  const deep = join(ustarDir, 'p'.repeat(70), 'q'.repeat(40));
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(deep, 'r'.repeat(50)), 'deep\n');
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('readTarEntries over archives from the system tar', () => {
  it.each([undefined, 'gnu', 'pax'])('reads format %s', async (format) => {
    const items = byName(await parse(systemTar(sourceDir, format), 1 << 20));

    const root = items.get('');
    expect(root?.entry.type).toBe('directory');

    const hello = items.get('hello.txt');
    const hard = items.get('hard');
    // tar stores the second name of a hard-linked inode as a link to the first, in any order.
    const [regular, linked] = hello?.entry.type === 'file' ? [hello, hard] : [hard, hello];
    expect(regular?.entry).toMatchObject({ type: 'file', size: 6, mode: 0o640, linkTarget: null });
    expect(regular?.body?.toString()).toBe('hello\n');
    expect(linked?.entry.type).toBe('hardlink');
    expect(linked?.entry.linkTarget?.replace(/^\.\//, '')).toMatch(/^(hello\.txt|hard)$/);
    expect(linked?.body).toBeNull();
    expect(hello?.entry.mtime.getTime()).toBe(fixedTime.getTime());

    expect(items.get('nested/')?.entry).toMatchObject({ type: 'directory', size: 0, mode: 0o750 });
    expect(items.get('nested/deeper/')?.entry.type).toBe('directory');
    const inner = items.get('nested/deeper/inner.bin');
    expect(inner?.entry).toMatchObject({ type: 'file', size: 1500, mode: 0o755 });
    expect(inner?.body).toEqual(Buffer.alloc(1500, 7));

    expect(items.get(longBase)?.entry).toMatchObject({ type: 'file', size: 10 });
    expect(items.get(longBase)?.body?.toString()).toBe('long name\n');

    expect(items.get('link')?.entry).toMatchObject({
      type: 'symlink',
      size: 0,
      linkTarget: 'hello.txt',
    });
    expect(items.get('long-link')?.entry).toMatchObject({
      type: 'symlink',
      linkTarget: longTarget,
    });
    expect(items.size).toBe(9);
  });

  it('reads the ustar prefix field', async () => {
    const items = await parse(systemTar(ustarDir, 'ustar'), 1024);
    const deepName = `./${'p'.repeat(70)}/${'q'.repeat(40)}/${'r'.repeat(50)}`;
    const deep = items.find((item) => item.entry.name === deepName);
    expect(deep?.entry).toMatchObject({ type: 'file', size: 5 });
    expect(deep?.body?.toString()).toBe('deep\n');
  });

  it.each([1, 7, 513])('gives the same result when fed %i-byte chunks', async (chunkSize) => {
    const archive = systemTar(sourceDir, 'pax');
    const whole = await parse(archive, 4096);
    const chunked = await parse(archive, 4096, chunkSize);
    expect(chunked).toEqual(whole);
    expect(chunked.length).toBe(9);
  });

  it('yields no bodies when maxBodyBytes is 0, and only those that fit otherwise', async () => {
    const archive = systemTar(sourceDir);
    const none = await parse(archive);
    expect(none.every((item) => item.body === null)).toBe(true);

    const small = byName(await parse(archive, 100));
    expect(small.get('hello.txt')?.body?.toString() ?? small.get('hard')?.body?.toString()).toBe(
      'hello\n',
    );
    expect(small.get('nested/deeper/inner.bin')?.body).toBeNull();
    expect(small.get('nested/deeper/inner.bin')?.entry.size).toBe(1500);
  });
});

describe('readTarEntries on damaged or unusual input', () => {
  it('throws on a header whose checksum does not match', async () => {
    const archive = Buffer.from(await tarSingleFile('a.txt', Buffer.from('x')));
    archive[0] = 'b'.charCodeAt(0);
    await expect(parse(archive, 10)).rejects.toThrow('corrupt tar header');
  });

  it('throws when the archive stops inside a body', async () => {
    const archive = (await tarSingleFile('a.txt', Buffer.alloc(2000, 1))).subarray(0, 1000);
    await expect(parse(archive)).rejects.toThrow('truncated tar archive');
  });

  it('reads a base-256 size field', async () => {
    const archive = patchHeader(
      await tarSingleFile('big.bin', Buffer.alloc(700, 3)),
      0,
      (block) => {
        block.fill(0, 124, 136);
        block[124] = 0x80;
        block.writeUInt16BE(700, 134);
      },
    );
    const [item] = await parse(archive, 1000);
    expect(item?.entry.size).toBe(700);
    expect(item?.body).toEqual(Buffer.alloc(700, 3));
  });

  it("ignores a global PAX header ('g')", async () => {
    const name = `${'a'.repeat(150)}/${'b'.repeat(149)}`;
    const archive = patchHeader(await tarSingleFile(name, Buffer.from('g')), 0, (block) => {
      block.write('g', 156, 'latin1');
    });
    const items = await parse(archive, 10);
    // The name was in the (now global) record; the header's own name field is what is left.
    expect(items.map((item) => item.entry.name)).toEqual(['PaxHeader']);
    expect(items[0]?.body?.toString()).toBe('g');
  });
});

describe('tarSingleFile', () => {
  const cases = [
    ['short', 'notes.txt'],
    ['200-char name split into the ustar prefix', `${'d'.repeat(120)}/${'f'.repeat(79)}`],
    ['200-char name without a slash (PAX)', 'x'.repeat(200)],
    ['300-char name (PAX)', `${'a'.repeat(100)}/${'b'.repeat(100)}/${'c'.repeat(98)}`],
    ['non-ASCII name', 'dossier/résumé ✓.txt'],
  ] as const;

  it.each(cases)('round-trips a %s', async (_label, name) => {
    expect(name.length === 200 || name.length === 300 || name.length < 100).toBe(true);
    const content = Buffer.from(`content of ${name.length}\n`);
    const archive = await tarSingleFile(name, content, 0o600, fixedTime);
    expect(archive.length % 512).toBe(0);
    expect(archive.subarray(-1024).every((byte) => byte === 0)).toBe(true);

    const items = await parse(archive, 1024);
    expect(items).toEqual([
      {
        entry: {
          name,
          type: 'file',
          size: content.length,
          mode: 0o600,
          mtime: fixedTime,
          linkTarget: null,
        },
        body: content,
      },
    ]);
  });

  it('uses the prefix field rather than PAX when the name can be split', async () => {
    const archive = await tarSingleFile(`${'d'.repeat(120)}/${'f'.repeat(79)}`, Buffer.from('x'));
    expect(archive.toString('latin1', 156, 157)).toBe('0');
    expect(archive.length).toBe(512 * 2 + 1024);
  });

  it('writes archives the system tar extracts', async () => {
    const name = `${'a'.repeat(100)}/${'b'.repeat(100)}/${'c'.repeat(98)}`;
    const dir = mkdtempSync(join(workDir, 'extract-'));
    for (const [file, body] of [
      [name, 'long'],
      ['plain.txt', 'plain'],
    ] as const) {
      const result = spawnSync('tar', ['-x', '-p', '--no-same-owner', '-C', dir], {
        input: await tarSingleFile(file, Buffer.from(body), 0o640, fixedTime),
      });
      expect(result.stderr.toString()).toBe('');
      expect(result.status).toBe(0);
      expect(readFileSync(join(dir, file), 'utf8')).toBe(body);
      expect(statSync(join(dir, file)).mode & 0o777).toBe(0o640);
      expect(statSync(join(dir, file)).mtime.getTime()).toBe(fixedTime.getTime());
    }
  });

  it('rejects names and modes it cannot store', async () => {
    await expect(tarSingleFile('', Buffer.alloc(0))).rejects.toThrow(/non-empty/);
    await expect(tarSingleFile('a\0b', Buffer.alloc(0))).rejects.toThrow(/NUL/);
    await expect(tarSingleFile('a', Buffer.alloc(0), 0o10000)).rejects.toThrow(/mode/);
  });
});

describe('archives of many entries', () => {
  const files = [
    { name: 'app/', type: 'directory', mode: 0o750, mtime: fixedTime },
    {
      name: 'app/main.js',
      content: Buffer.from('console.log(1)\n'),
      mode: 0o644,
      mtime: fixedTime,
    },
    { name: 'app/empty', content: Buffer.alloc(0), mtime: fixedTime },
    { name: 'app/big.bin', content: Buffer.alloc(70_000, 9), mode: 0o600, mtime: fixedTime },
    { name: `app/${'l'.repeat(180)}.txt`, content: Buffer.from('long'), mtime: fixedTime },
    { name: 'app/ünï.txt', content: Buffer.from('utf8'), mtime: fixedTime },
    { name: 'app/current', type: 'symlink', linkTarget: 'main.js', mtime: fixedTime },
    { name: 'Dockerfile', content: Buffer.from('FROM scratch\n'), mtime: fixedTime },
  ] as const;

  it('reads back every entry written, in order, bodies included', async () => {
    const archive = await tarFiles(files);
    for (const chunkSize of [1, 700, archive.length]) {
      const items = await parse(archive, 1 << 20, chunkSize);
      expect(items.map((item) => [item.entry.name, item.entry.type])).toEqual([
        ['app/', 'directory'],
        ['app/main.js', 'file'],
        ['app/empty', 'file'],
        ['app/big.bin', 'file'],
        [`app/${'l'.repeat(180)}.txt`, 'file'],
        ['app/ünï.txt', 'file'],
        ['app/current', 'symlink'],
        ['Dockerfile', 'file'],
      ]);
      const found = byName(items);
      expect(found.get('app/')?.entry.mode).toBe(0o750);
      expect(found.get('app/big.bin')?.entry).toMatchObject({ size: 70_000, mode: 0o600 });
      expect(found.get('app/big.bin')?.body).toEqual(Buffer.alloc(70_000, 9));
      expect(found.get('app/empty')?.body).toEqual(Buffer.alloc(0));
      expect(found.get('app/current')?.entry).toMatchObject({ linkTarget: 'main.js', size: 0 });
      expect(found.get('Dockerfile')?.body?.toString()).toBe('FROM scratch\n');
      expect(found.get(`app/${'l'.repeat(180)}.txt`)?.body?.toString()).toBe('long');
    }
  });

  it('writes many entries the system tar extracts', async () => {
    const dir = mkdtempSync(join(workDir, 'many-'));
    const result = spawnSync('tar', ['-x', '-p', '--no-same-owner', '-C', dir], {
      input: await tarFiles(files),
    });
    expect(result.stderr.toString()).toBe('');
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, 'app', 'main.js'), 'utf8')).toBe('console.log(1)\n');
    expect(readFileSync(join(dir, 'app', 'big.bin'))).toEqual(Buffer.alloc(70_000, 9));
    expect(readFileSync(join(dir, 'app', `${'l'.repeat(180)}.txt`), 'utf8')).toBe('long');
    expect(readFileSync(join(dir, 'app', 'ünï.txt'), 'utf8')).toBe('utf8');
    expect(readFileSync(join(dir, 'app', 'current'), 'utf8')).toBe('console.log(1)\n');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe('FROM scratch\n');
    expect(statSync(join(dir, 'app')).mode & 0o777).toBe(0o750);
  });

  it('reads many entries the system tar wrote, skipping bodies past the limit', async () => {
    const dir = mkdtempSync(join(workDir, 'tree-'));
    for (let i = 0; i < 50; i += 1) writeFileSync(join(dir, `f${i}`), Buffer.alloc(i * 100, i));
    const items = await parse(systemTar(dir, 'pax'), 2_500, 333);
    const found = byName(items);
    expect(items.filter((item) => item.entry.type === 'file')).toHaveLength(50);
    expect(found.get('f20')?.body).toEqual(Buffer.alloc(2_000, 20));
    expect(found.get('f30')?.body).toBeNull();
    expect(found.get('f30')?.entry.size).toBe(3_000);
  });

  it('packs entries only as the archive is read', async () => {
    let pulled = 0;
    function* many() {
      for (let i = 0; i < 1_000; i += 1) {
        pulled += 1;
        yield { name: `file-${i}`, content: Buffer.alloc(4_096, i % 256) };
      }
    }
    const stream = packArchive(many());
    const first = await new Promise<Buffer>((resolve) =>
      stream.once('data', (chunk: Buffer) => {
        stream.pause();
        resolve(chunk);
      }),
    );
    expect(first.length).toBeGreaterThan(0);
    expect(pulled).toBeLessThan(1_000);
    stream.destroy();

    let total = 0;
    for await (const item of readTarEntries(packArchive(many()))) total += item.entry.size;
    expect(total).toBe(1_000 * 4_096);
  });
});

describe('normaliseContainerPath', () => {
  it.each([
    ['/', '/'],
    ['/etc/passwd', '/etc/passwd'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['/var/../../../etc/passwd', '/etc/passwd'],
    ['/a/./b//c/', '/a/b/c'],
    ['//a//b', '/a/b'],
    ['/a/b/../../../..', '/'],
    ['/a/b/..', '/a'],
    ['/.', '/'],
    ['/a/.../b', '/a/.../b'],
  ])('%s -> %s', (input, expected) => {
    expect(normaliseContainerPath(input)).toBe(expected);
  });

  it.each(['', 'etc/passwd', '../../etc/passwd', './a', '~/a'])('rejects relative %j', (input) => {
    expect(() => normaliseContainerPath(input)).toThrow('path must be absolute');
  });

  it('rejects NUL bytes', () => {
    expect(() => normaliseContainerPath('/etc/pa\0sswd')).toThrow(/NUL/);
  });
});
