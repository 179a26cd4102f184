import { readFile } from 'node:fs/promises';

/** Reads the board model of the machine Berth runs on (for the local engine only). */
export async function readLocalBoardModel(
  read: (path: string) => Promise<string> = (path) => readFile(path, 'utf8'),
): Promise<string | null> {
  for (const path of ['/proc/device-tree/model', '/sys/firmware/devicetree/base/model']) {
    const text = await read(path).catch(() => null);
    const model = text?.replace(/\0/g, '').trim();
    if (model) return model;
  }
  const cpuinfo = await read('/proc/cpuinfo').catch(() => null);
  const line = cpuinfo?.split('\n').find((l) => /^Model\s*:/.test(l));
  return line ? line.replace(/^Model\s*:\s*/, '').trim() || null : null;
}
