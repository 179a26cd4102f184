import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { openArchive } from '../archive-stream.js';
import { tarFiles } from '../tar-write.js';

const read = async (stream: Readable): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

function chunked(archive: Buffer, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < archive.length; at += size) chunks.push(archive.subarray(at, at + size));
  return Readable.from(chunks, { objectMode: false });
}

describe('openArchive', () => {
  const content = randomBytes(70_000);
  // Longer than ustar can hold, so a PAX record comes before the file's header.
  const longName = `${'d'.repeat(120)}/${'f'.repeat(120)}`;
  let archive: Buffer = Buffer.alloc(0);
  beforeAll(async () => {
    archive = await tarFiles([{ name: longName, content }]);
  });

  it('streams the first file whole, whatever the chunking, past a PAX header', async () => {
    for (const size of [1, 511, 512, 4096, archive.length]) {
      const opened = await openArchive(chunked(archive, size));
      expect(opened?.entry).toMatchObject({ name: longName, type: 'file', size: content.length });
      expect((await read(opened?.file() ?? Readable.from([]))).equals(content), `${size}`).toBe(
        true,
      );
    }
  });

  it('hands back the whole archive, the header it read included', async () => {
    const opened = await openArchive(chunked(archive, 700));
    expect((await read(opened?.archive() ?? Readable.from([]))).equals(archive)).toBe(true);
  });

  it('fails a file cut short, and destroys the source when its reader leaves', async () => {
    const cut = await openArchive(chunked(archive.subarray(0, 2048), 512));
    await expect(read(cut?.file() ?? Readable.from([]))).rejects.toThrow(/truncated/);

    const source = chunked(archive, 512);
    const opened = await openArchive(source);
    const body = opened?.file();
    body?.destroy();
    expect(source.destroyed).toBe(true);
  });

  it('answers null for an empty archive and releases it', async () => {
    const source = chunked(Buffer.alloc(1024), 512);
    expect(await openArchive(source)).toBeNull();
    expect(source.destroyed).toBe(true);
  });
});
