import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';

/** Removes group and other permissions from `path` when it has any (a missing path is fine). */
export function tightenMode(path: string, allowed: 0o600 | 0o700): void {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if ((mode & ~allowed) !== 0) chmodSync(path, mode & allowed);
}

/** A directory only its owner can enter: created 0700, or tightened to it when looser. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  tightenMode(dir, 0o700);
}

/** A file only its owner can read: created empty with 0600 when missing, else tightened. */
export function ensurePrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  tightenMode(file, 0o600);
}
