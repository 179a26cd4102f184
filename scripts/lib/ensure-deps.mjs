// Installs the workspace's dependencies when they are missing or older than the lockfile,
// so that `npm start` and `npm test` work straight after `git clone`.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run.mjs';

export async function ensureDependencies(root) {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules', '.package-lock.json');
  if (
    existsSync(installed) &&
    (!existsSync(lock) || statSync(installed).mtimeMs >= statSync(lock).mtimeMs)
  ) {
    return;
  }
  console.log('berth: installing dependencies (npm ci)…');
  await run('npm', [existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root });
}

/** Compiles every package (incremental: fast when nothing changed) and bundles the web app. */
export async function build(root) {
  await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], {
    cwd: root,
  });
  await run(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    { cwd: join(root, 'packages', 'web') },
  );
}
