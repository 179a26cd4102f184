/**
 * The web app: bundle sizes against the 250 KB gzip budget for initial JavaScript, and the
 * time Chromium takes to show the containers page with 1,000 containers (served to the page
 * as the API would, so the figure is the UI's own).
 */
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM, ensureBrowser } from '../scripts/lib/browser.mjs';
import { BENCH_SETUP_TOKEN, benchToken, freePort, requireEnv, startBerth } from './support.js';

const dist = join(process.cwd(), 'packages', 'web', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const entry = /src="\/assets\/([^"]+\.js)"/.exec(html)?.[1] ?? '';
const sizes = readdirSync(join(dist, 'assets'))
  .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
  .map((f) => {
    const bytes = readFileSync(join(dist, 'assets', f));
    return { file: f, raw: bytes.length, gzip: gzipSync(bytes).length };
  })
  .sort((a, b) => b.gzip - a.gzip);
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
const initial = sizes.find((s) => s.file === entry);

await ensureBrowser();
const dockerHost = requireEnv('BERTH_BENCH_DOCKER_HOST');
const port = await freePort();
const dataDir = mkdtempSync(join(tmpdir(), 'berth-bench-ui-'));
const berth = startBerth({
  BERTH_PORT: String(port),
  BERTH_HOST: '127.0.0.1',
  BERTH_TLS: 'off',
  BERTH_DATA_DIR: dataDir,
  BERTH_SETUP_TOKEN: BENCH_SETUP_TOKEN,
  DOCKER_HOST: dockerHost,
});
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});
try {
  await benchToken(port);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/login`);
  await page.getByLabel('Username').fill('bench');
  await page.getByLabel('Password').fill('bench password 123');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

  const containers = Array.from({ length: 1000 }, (_, i) => ({
    id: i.toString(16).padStart(64, '0'),
    name: `app-${String(i).padStart(4, '0')}`,
    image: 'registry.local/team/app:1',
    imageId: 'sha256:' + 'a'.repeat(64),
    imageDigest: null,
    command: 'sleep 600',
    created: new Date(Date.now() - i * 1000).toISOString(),
    state: i % 3 === 0 ? 'exited' : 'running',
    health: null,
    status: 'Up 5 minutes',
    ports: [{ privatePort: 80, publicPort: 10000 + i, protocol: 'tcp', hostIp: '0.0.0.0' }],
    networks: [],
    mounts: [],
    labels: {},
    composeProject: null,
    composeService: null,
    managed: true,
    environment: i % 2 === 0 ? 'prod' : 'dev',
  }));
  await page.route('**/api/hosts/local/containers', (route) =>
    route.fulfill({ json: { containers } }),
  );
  const runs: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    const started = Date.now();
    await page.getByRole('link', { name: 'Containers', exact: true }).click();
    await page
      .locator('[role="table"][aria-rowcount="1000"] [data-testid="container-row"]')
      .first()
      .waitFor();
    runs.push(Date.now() - started);
  }
  const rendered = await page.locator('[data-testid="container-row"]').count();
  runs.sort((a, b) => a - b);
  process.stdout.write(
    [
      '',
      'web app bundle (gzip):',
      `initial JavaScript ${entry}: ${kb(initial?.gzip ?? 0)} of a 250 KB budget`,
      ...sizes
        .slice(0, 6)
        .map((s) => `  ${s.file.padEnd(40)} ${kb(s.gzip).padStart(9)} (${kb(s.raw)} raw)`),
      `containers page with 1,000 containers: median ${runs[2] ?? 0} ms from click to rows shown (5 runs, min ${runs[0] ?? 0}, max ${runs[4] ?? 0}); ${rendered} row elements in the DOM (virtualized)`,
      '',
    ].join('\n'),
  );
} finally {
  await browser.close();
  await berth.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
