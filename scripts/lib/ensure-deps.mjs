// Installs the workspace's dependencies when they are missing or older than the lockfile,
// so that `npm start` and `npm test` work straight after `git clone`.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundleCli, cliBundleInputs, cliBundlePath } from './bundle-cli.mjs';
import { isStale, writeStamp } from './freshness.mjs';
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

/** What the web bundle is built from: its sources, the contract it imports, the dependencies. */
export function webInputs(root) {
  const web = join(root, 'packages', 'web');
  return [
    join(web, 'src'),
    join(web, 'public'),
    join(web, 'index.html'),
    join(web, 'vite.config.ts'),
    join(web, 'tsconfig.json'),
    join(web, 'package.json'),
    join(root, 'packages', 'contract', 'src'),
    join(root, 'package-lock.json'),
  ];
}

/** Written into the bundle's folder after a successful build; vite empties the folder first. */
export function webStamp(root) {
  return join(root, 'packages', 'web', 'dist', '.berth-build');
}

/**
 * Compiles every package (tsc -b is incremental: fast when nothing changed), and bundles the
 * CLI (dist/berth.mjs) and the web app each only when a source is newer than its last bundle.
 */
export async function build(root) {
  console.log('berth: building the server, the contract and the CLI (tsc -b)…');
  await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], {
    cwd: root,
  });
  // The bundle is its own stamp: esbuild writes it whole, only on success.
  if (isStale(cliBundleInputs(root), cliBundlePath(root))) {
    console.log('berth: bundling the CLI (packages/cli/dist/berth.mjs)…');
    await bundleCli(root);
  } else console.log('berth: the CLI bundle is up to date');
  const stamp = webStamp(root);
  if (!isStale(webInputs(root), stamp)) {
    console.log('berth: the web app is up to date (no source newer than its build)');
    return;
  }
  console.log('berth: building the web app…');
  await run(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    { cwd: join(root, 'packages', 'web') },
  );
  writeStamp(stamp);
}
