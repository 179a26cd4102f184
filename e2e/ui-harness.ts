import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM } from '../scripts/lib/browser.mjs';
import { freePort } from '../packages/server/src/testing/free-port.js';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';

/** A real Berth server (the built one) and Debian's Chromium, for the browser suites. */
const root = fileURLToPath(new URL('..', import.meta.url));
export const SHOTS = join(root, 'e2e', 'output', 'screenshots');
export const SETUP_TOKEN = 'ui-test-setup-token-123456';
export const ADMIN = { username: 'admin', password: 'a long admin password' };

export interface UiHarness {
  base: string;
  newPage: () => Promise<{ context: BrowserContext; page: Page }>;
  stop: () => Promise<void>;
}

/** Whether the server answers its health check (its certificate is self-signed). */
function healthy(base: string): Promise<boolean> {
  return new Promise((resolve) => {
    httpsGet(`${base}/api/health`, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}

export async function startUi(): Promise<UiHarness> {
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-ui-'));
  const port = await freePort();
  const base = `https://127.0.0.1:${port}`;
  const engine = process.env.BERTH_TEST_DOCKER_HOST;
  if (!engine) throw new Error('BERTH_TEST_DOCKER_HOST is not set: run `npm test`');
  const server: ChildProcess = spawn(
    process.execPath,
    [join(root, 'packages', 'server', 'dist', 'main.js')],
    {
      env: {
        PATH: process.env.PATH ?? '',
        BERTH_PORT: String(port),
        BERTH_HOST: '127.0.0.1',
        BERTH_DATA_DIR: dataDir,
        BERTH_SETUP_TOKEN: SETUP_TOKEN,
        DOCKER_HOST: engine,
        BERTH_HELPER_IMAGE: TEST_IMAGE,
        BERTH_LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    },
  );
  const browser: Browser = await chromium.launch({
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
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await healthy(base)) break;
    if (Date.now() > deadline) {
      await browser.close();
      server.kill('SIGTERM');
      throw new Error('the Berth server did not come up');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    newPage: async () => {
      const context = await browser.newContext({
        ignoreHTTPSErrors: true,
        viewport: { width: 1280, height: 860 },
        baseURL: base,
      });
      return { context, page: await context.newPage() };
    },
    stop: async () => {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

/** First run through the API (the setup wizard has its own browser test), then logged in. */
export async function setupAndLogin(page: Page): Promise<void> {
  await page.goto('/login');
  const status = await api(page, 'GET', '/api/setup');
  if ((status.json as { required: boolean }).required) {
    const done = await api(page, 'POST', '/api/setup', { ...ADMIN, setupToken: SETUP_TOKEN });
    if (done.status >= 300) throw new Error(`setup failed: ${JSON.stringify(done.json)}`);
  }
  await login(page, ADMIN.username, ADMIN.password);
}

/** Calls the API from inside the page: same origin, the session cookie, the Origin header. */
export async function api(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const res = await fetch(path, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
    },
    { method, path, body },
  );
}

/** Writes the page in light and dark for review. */
export async function screenshot(page: Page, label: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SHOTS, `${label}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
