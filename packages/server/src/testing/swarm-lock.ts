import { randomBytes } from 'node:crypto';
import { watch } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(tmpdir(), 'berth-swarm-lock');
const HELD = join(ROOT, 'held');
const OWNER = join(HELD, 'owner');
/** A holder that never let go (a file whose teardown did not run) is passed over after this. */
const STALE_MS = 15 * 60_000;
/** How long a wait trusts the directory watch before it looks again by itself. */
const RECHECK_MS = 5_000;

interface Owner {
  pid: number;
  token: string;
  at: number;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function stale(): Promise<boolean> {
  try {
    const owner = JSON.parse(await readFile(OWNER, 'utf8')) as Owner;
    return !alive(owner.pid) || Date.now() - owner.at > STALE_MS;
  } catch {
    // Taken a moment ago, the owner not yet written, or already let go.
    const since = await stat(HELD).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    return since > STALE_MS;
  }
}

/** Resolves at the next change in the lock's directory (a release), or after RECHECK_MS. */
function nextChange(): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(ROOT, () => done());
    const timer = setTimeout(done, RECHECK_MS);
    function done(): void {
      clearTimeout(timer);
      watcher.close();
      resolve();
    }
  });
}

/**
 * One test swarm at a time on this machine, across vitest's workers and concurrent runs: two
 * swarm managers in one network namespace share the `docker_gwbridge` bridge (the one that
 * leaves first deletes it under the other) and clash on overlay VXLAN interfaces ("error
 * creating vxlan interface: file exists"). Resolves with the release once this caller holds it.
 */
export async function holdSwarmLock(): Promise<() => Promise<void>> {
  await mkdir(ROOT, { recursive: true });
  const token = `${process.pid}-${randomBytes(4).toString('hex')}`;
  for (;;) {
    try {
      await mkdir(HELD);
      await writeFile(OWNER, JSON.stringify({ pid: process.pid, token, at: Date.now() }));
      return async () => {
        const owner = await readFile(OWNER, 'utf8').catch(() => '');
        if (owner.includes(token)) await rm(HELD, { recursive: true, force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (await stale()) await rm(HELD, { recursive: true, force: true });
    else await nextChange();
  }
}
