// Whether a build is older than its sources, by modification time, so `npm start` rebuilds
// only what changed (tsc -b does this itself; the web bundle needs it here).
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SKIP = new Set(['node_modules', 'dist', '.git']);

/** The newest modification time (ms) of the files at and under `paths`; 0 when none exist. */
export function newestMtime(paths) {
  let newest = 0;
  const visit = (path) => {
    let stat;
    try {
      stat = statSync(path);
    } catch (err) {
      if (err.code === 'ENOENT') return;
      throw err;
    }
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) if (!SKIP.has(name)) visit(join(path, name));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const path of paths) visit(path);
  return newest;
}

/** True when `stamp` is missing or any input is newer than it. */
export function isStale(inputs, stamp) {
  let built;
  try {
    built = statSync(stamp).mtimeMs;
  } catch (err) {
    if (err.code === 'ENOENT') return true;
    throw err;
  }
  return newestMtime(inputs) > built;
}

/** Marks a build as done now (written only after the build succeeded). */
export function writeStamp(stamp) {
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
