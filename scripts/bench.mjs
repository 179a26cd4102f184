// `npm run bench`: install and build if needed, get an engine (BERTH_BENCH_DOCKER_HOST, or an
// isolated dockerd of our own), build the test images, and run each benchmark in bench/.
// Arguments go to every benchmark (e.g. `npm run bench -- --containers 500`); BERTH_BENCH=name
// (comma-separated) runs only bench/<name>.bench.ts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, ensureDependencies } from './lib/ensure-deps.mjs';
import { ensureEngineTools, startIsolatedEngine } from './lib/isolated-engine.mjs';
import { run } from './lib/run.mjs';
import { TEST_IMAGE, buildTestImages } from './lib/test-images.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
let engine = null;
let exitCode = 0;
process.once('SIGINT', () => {
  void (engine ? engine.stop() : Promise.resolve()).finally(() => process.exit(130));
});

try {
  await ensureDependencies(root);
  await build(root);
  let dockerHost = process.env.BERTH_BENCH_DOCKER_HOST;
  if (!dockerHost) {
    await ensureEngineTools();
    engine = await startIsolatedEngine();
    dockerHost = engine.host;
  }
  await buildTestImages(dockerHost.slice('unix://'.length));
  const only = process.env.BERTH_BENCH?.split(',').map((name) => `${name.trim()}.bench.ts`);
  const benches = readdirSync(join(root, 'bench')).filter(
    (f) => f.endsWith('.bench.ts') && (!only || only.includes(f)),
  );
  if (only && benches.length !== only.length) throw new Error(`no such benchmark: ${only}`);
  for (const file of benches) {
    await run(
      process.execPath,
      ['--import', 'tsx', join(root, 'bench', file), ...process.argv.slice(2)],
      {
        cwd: root,
        env: { ...process.env, BERTH_BENCH_DOCKER_HOST: dockerHost, BERTH_TEST_IMAGE: TEST_IMAGE },
      },
    );
  }
} catch (err) {
  console.error(`berth: benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
  exitCode = 1;
} finally {
  if (engine) await engine.stop();
}
process.exit(exitCode);
