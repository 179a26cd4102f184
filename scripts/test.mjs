// `npm test`: install dependencies if missing, build, get a Docker engine for the tests
// (BERTH_TEST_DOCKER_HOST, or an isolated dockerd of our own), build the local test images,
// run every suite, and always stop the engine and remove its files. Extra arguments go to vitest.
import './lib/require-node.mjs';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, ensureDependencies } from './lib/ensure-deps.mjs';
import { ensureEngineTools, startIsolatedEngine } from './lib/isolated-engine.mjs';
import { run } from './lib/run.mjs';
import { ensureCaddyTools } from './lib/test-caddy.mjs';
import { ensurePrometheusTools } from './lib/test-prometheus.mjs';
import { ensureRegistryTools } from './lib/test-registry.mjs';
import { ensureShells } from './lib/test-shells.mjs';
import { ensureSshTools } from './lib/test-sshd.mjs';
import { ensureBrowser } from './lib/browser.mjs';
import { TEST_IMAGE, buildTestImages } from './lib/test-images.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
let engine = null;
let cleaning = null;

async function cleanup() {
  cleaning ??= engine ? engine.stop() : Promise.resolve();
  await cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    cleanup().finally(() => process.exit(130));
  });
}

function summarise(reportFile) {
  if (!existsSync(reportFile)) return;
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  rmSync(reportFile, { force: true });
  const skipped = report.numPendingTests + report.numTodoTests;
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed'),
  ).length;
  console.log(
    `\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}` +
      // A file whose setup fails runs none of its tests: say so, or "0 failed" would mislead.
      (brokenFiles ? `; ${brokenFiles} file(s) failed before their tests ran` : ''),
  );
}

let exitCode = 0;
try {
  await ensureDependencies(root);
  await build(root);

  let dockerHost = process.env.BERTH_TEST_DOCKER_HOST;
  // Tests that stop and restart an engine of their own need dockerd on this machine too.
  await ensureEngineTools();
  // Registry tests start Debian's docker-registry on loopback; install it once, up front.
  await ensureRegistryTools();
  // SSH host tests start Debian's openssh-server on loopback; install it once, up front.
  await ensureSshTools();
  // The /metrics tests have Debian's prometheus scrape Berth on loopback.
  await ensurePrometheusTools();
  // The proxy tests drive Debian's stock caddy through its admin API on loopback.
  await ensureCaddyTools();
  // The completion tests source `berth completion bash|zsh|fish` in each of those shells.
  await ensureShells();
  await ensureBrowser();
  if (!dockerHost) {
    engine = await startIsolatedEngine();
    dockerHost = engine.host;
  }
  if (!dockerHost.startsWith('unix://'))
    throw new Error('BERTH_TEST_DOCKER_HOST must be a unix:// socket');
  await buildTestImages(dockerHost.slice('unix://'.length));

  const reportFile = join(tmpdir(), `berth-vitest-${process.pid}.json`);
  try {
    await run(
      process.execPath,
      [
        join(root, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${reportFile}`,
        ...process.argv.slice(2),
      ],
      {
        cwd: root,
        env: { ...process.env, BERTH_TEST_DOCKER_HOST: dockerHost, BERTH_TEST_IMAGE: TEST_IMAGE },
      },
    );
  } finally {
    summarise(reportFile);
  }
} catch (err) {
  console.error(`berth: tests failed: ${err instanceof Error ? err.message : String(err)}`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
