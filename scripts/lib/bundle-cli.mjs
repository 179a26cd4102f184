// The `berth` CLI as one file, packages/cli/dist/berth.mjs, that needs nothing beside Node:
// its dependencies and the contract are bundled in (esbuild), the version written in.
// Run as a script (`npm run build -w packages/cli`) or called by ensure-deps' build().
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('../..', import.meta.url));

/** Where the bundle is written, under `root`. */
export function cliBundlePath(root = here) {
  return join(root, 'packages', 'cli', 'dist', 'berth.mjs');
}

/** What the bundle is built from: its sources, the contract's, the dependencies, this file. */
export function cliBundleInputs(root = here) {
  return [
    join(root, 'packages', 'cli', 'src'),
    join(root, 'packages', 'cli', 'package.json'),
    join(root, 'packages', 'contract', 'src'),
    join(root, 'package-lock.json'),
    fileURLToPath(import.meta.url),
  ];
}

export async function bundleCli(root = here) {
  const cli = join(root, 'packages', 'cli');
  const { version } = JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8'));
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(cli, 'src', 'main.ts')],
    outfile: cliBundlePath(root),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // The contract from its sources: the bundle needs no build of it.
    alias: { '@berth/contract': join(root, 'packages', 'contract', 'src', 'index.ts') },
    // ws and ssh2 load these native speed-ups when installed and do without them otherwise.
    external: ['bufferutil', 'utf-8-validate', 'cpu-features', '*.node'],
    define: { BERTH_CLI_VERSION: JSON.stringify(version) },
    // CommonJS dependencies (undici, ws, ssh2) call require() for Node's own modules, and
    // ssh2's WebAssembly loader reads __dirname.
    banner: {
      js: [
        "import { createRequire as __berthCreateRequire } from 'node:module';",
        "import { fileURLToPath as __berthFileUrlToPath } from 'node:url';",
        'const require = __berthCreateRequire(import.meta.url);',
        'const __filename = __berthFileUrlToPath(import.meta.url);',
        "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
      ].join('\n'),
    },
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundleCli();
}
