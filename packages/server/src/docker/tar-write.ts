/** Writing tar for the engine's PUT archive: plain ustar, a PAX header only when a name does not fit. */

export const BLOCK = 512;
export const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

/** Writes octal when it fits the field (leaving room for the NUL), else GNU base-256. */
function writeNumber(block: Buffer, offset: number, length: number, value: number): void {
  if (value < 8 ** (length - 1)) {
    block.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, 'latin1');
    return;
  }
  let big = BigInt(value);
  for (let i = offset + length - 1; i > offset; i -= 1) {
    block[i] = Number(big & 0xffn);
    big >>= 8n;
  }
  block[offset] = 0x80;
}

interface UstarPath {
  prefix: Buffer;
  name: Buffer;
}

/** One entry as written: its header block, its data and the zero padding to a whole block. */
function entryBlocks(
  typeflag: string,
  path: UstarPath,
  mode: number,
  mtime: number,
  data: Buffer,
): Buffer[] {
  const block = Buffer.alloc(BLOCK);
  path.name.copy(block, 0, 0, 100);
  writeNumber(block, 100, 8, mode);
  writeNumber(block, 108, 8, 0);
  writeNumber(block, 116, 8, 0);
  writeNumber(block, 124, 12, data.length);
  writeNumber(block, 136, 12, mtime);
  block.write(typeflag, 156, 'latin1');
  block.write('ustar\0' + '00', 257, 'latin1');
  path.prefix.copy(block, 345, 0, 155);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return [block, data, Buffer.alloc(padding(data.length))];
}

/** Splits a long name at a slash into ustar's 155-byte prefix and 100-byte name, if it can. */
function splitUstarName(name: Buffer): UstarPath | null {
  if (name.length <= 100) return { prefix: Buffer.alloc(0), name };
  const slash = name.lastIndexOf(0x2f, 155);
  if (slash <= 0 || name.length - slash - 1 > 100 || slash === name.length - 1) return null;
  return { prefix: name.subarray(0, slash), name: name.subarray(slash + 1) };
}

/** One PAX record; its leading length counts its own digits, hence the fixed-point loop. */
function paxRecord(key: string, value: string): Buffer {
  const rest = Buffer.byteLength(` ${key}=${value}\n`);
  let length = rest + 1;
  while (String(length).length + rest !== length) length = String(length).length + rest;
  return Buffer.from(`${length} ${key}=${value}\n`, 'utf8');
}

/** A complete ustar archive holding one regular file, as the engine's PUT archive expects. */
export function tarSingleFile(
  name: string,
  content: Buffer,
  mode = 0o644,
  mtime = new Date(),
): Buffer {
  if (name === '' || name.includes('\0')) {
    throw new Error('tar entry name must be non-empty and contain no NUL bytes');
  }
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    throw new RangeError('mode must be an integer between 0 and 0o7777');
  }
  const millis = mtime.getTime();
  if (!Number.isFinite(millis)) throw new RangeError('mtime must be a valid date');
  const seconds = Math.max(0, Math.floor(millis / 1000));

  const nameBytes = Buffer.from(name, 'utf8');
  const split = splitUstarName(nameBytes);
  const noPrefix = Buffer.alloc(0);
  const paxPath = { prefix: noPrefix, name: Buffer.from('PaxHeader') };
  const paxBlocks =
    split === null ? entryBlocks('x', paxPath, 0o644, seconds, paxRecord('path', name)) : [];
  // Readers without PAX support see the name cut to the ustar field.
  const path = split ?? { prefix: noPrefix, name: nameBytes.subarray(0, 100) };
  const fileBlocks = entryBlocks('0', path, mode, seconds, content);
  return Buffer.concat([...paxBlocks, ...fileBlocks, Buffer.alloc(BLOCK * 2)]);
}
