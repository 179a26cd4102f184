import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { expect } from 'vitest';
import { CHROMIUM } from '../scripts/lib/browser.mjs';
import { freePort } from '../packages/server/src/testing/free-port.js';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';

/** A real Berth server (the built one) and Debian's Chromium, for the browser suites. */
const root = fileURLToPath(new URL('..', import.meta.url));
export const SHOTS = join(root, 'e2e', 'output', 'screenshots');
export const SETUP_TOKEN = 'ui-test-setup-token-123456';
export const ADMIN = { username: 'admin', password: 'a long admin password' };

/** The server's own certificate is self-signed: the health check does not verify it. */
function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpsGet(url, { rejectUnauthorized: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
  });
}

/**
 * Chromium aborts a navigation with ERR_NETWORK_CHANGED when a network interface comes or goes,
 * and the tests (and others running beside them) create Docker networks and containers all the
 * time. Navigations are retried on that error, and only on that one.
 */
// Either the error itself, the error page Chromium navigated to instead, or Chromium loading the
// same address again on its own after the change.
const NETWORK_CHANGED = /ERR_NETWORK_CHANGED|interrupted by another navigation to "chrome-error:/;
const SAME_AGAIN = /Navigation to "([^"]+)" is interrupted by another navigation to "([^"]+)"/;

function networkChanged(err: unknown): boolean {
  const text = String(err);
  const again = SAME_AGAIN.exec(text);
  return NETWORK_CHANGED.test(text) || (again !== null && again[1] === again[2]);
}

function steadyNavigation(page: Page): void {
  const retry =
    <A extends unknown[], R>(step: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await step(...args);
        } catch (err) {
          if (attempt >= 5 || !networkChanged(err)) throw err;
        }
      }
    };
  page.goto = retry(page.goto.bind(page));
  page.reload = retry(page.reload.bind(page));
}

export interface UiHarness {
  base: string;
  /** The server's data directory (to put files where Berth reads them). */
  dataDir: string;
  newPage: () => Promise<{ context: BrowserContext; page: Page }>;
  stop: () => Promise<void>;
}

/**
 * `dockerHost`: an engine of the suite's own (for destructive checks such as a real prune);
 * `env`: more of the server's environment (BERTH_CADDY_ADMIN for the proxy suite).
 */
export async function startUi(
  options: { dockerHost?: string; env?: Record<string, string> } = {},
): Promise<UiHarness> {
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'berth-ui-'));
  const port = await freePort();
  const base = `https://127.0.0.1:${port}`;
  const engine = options.dockerHost ?? process.env.BERTH_TEST_DOCKER_HOST;
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
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  let exited: number | null | undefined;
  server.once('exit', (code) => (exited = code));
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
  const deadline = Date.now() + 90_000;
  for (;;) {
    const ok = await healthy(`${base}/api/health`);
    if (ok) break;
    if (exited !== undefined || Date.now() > deadline) {
      await browser.close();
      server.kill('SIGKILL');
      throw new Error(
        `the Berth server did not come up (${exited === undefined ? 'no answer' : `exit ${exited}`}):\n${output}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const mismatches: string[] = [];
  return {
    base,
    dataDir,
    newPage: async () => {
      const context = await browser.newContext({
        ignoreHTTPSErrors: true,
        viewport: { width: 1280, height: 860 },
        baseURL: base,
      });
      // Every answer and stream message is checked against the contract (client.ts).
      await context.addInitScript({ content: "localStorage.setItem('berth.checkContract', '1')" });
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.type() === 'error' && message.text().includes('does not match the contract'))
          mismatches.push(message.text());
      });
      steadyNavigation(page);
      return { context, page };
    },
    stop: async () => {
      await browser.close();
      if (exited === undefined) {
        const gone = new Promise((r) => server.once('exit', r));
        server.kill('SIGTERM');
        await gone;
      }
      rmSync(dataDir, { recursive: true, force: true });
      if (mismatches.length > 0) {
        throw new Error(`answers that do not match the contract:\n${mismatches.join('\n')}`);
      }
    },
  };
}

export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  const dashboard = page.getByRole('heading', { name: 'Dashboard' });
  const unreachable = page.getByText('Berth cannot be reached');
  // The login request itself can be cut by a network change: the page says so; try again.
  for (let attempt = 1; ; attempt += 1) {
    await page.getByRole('button', { name: 'Log in' }).click();
    await dashboard.or(unreachable).first().waitFor();
    if (await dashboard.isVisible()) return;
    if (attempt >= 3) throw new Error('Berth could not be reached to log in');
  }
}

/** First run through the API (the setup wizard has its own browser test), then logged in. */
export async function setupAndLogin(page: Page): Promise<void> {
  await page.goto('/login');
  const status = await api(page, 'GET', '/api/setup');
  const required = (status.json as { required: boolean }).required;
  if (required) {
    const done = await api(page, 'POST', '/api/setup', { ...ADMIN, setupToken: SETUP_TOKEN });
    if (done.status >= 300) throw new Error(`setup failed: ${JSON.stringify(done.json)}`);
  }
  await login(page, ADMIN.username, ADMIN.password);
  if (required) {
    // The shared test engine holds every suite's containers at once, past what the hardware
    // profile of a small machine recommends (the limit is tested on an engine of its own).
    // Setting a flag is idempotent: asked again when a network change aborted it.
    const lifted = await api(
      page,
      'PATCH',
      '/api/settings',
      { allowOverContainerLimit: true },
      {
        idempotent: true,
      },
    );
    if (lifted.status !== 200) throw new Error(`settings: ${JSON.stringify(lifted.json)}`);
  }
}

/** Calls the API from inside the page: same origin, the session cookie, the Origin header. */
export async function api(
  page: Page,
  method: string,
  path: string,
  body?: unknown,
  options: { idempotent?: boolean } = {},
): Promise<{ status: number; json: unknown }> {
  const call = (): Promise<{ status: number; json: unknown }> =>
    page.evaluate(
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
  // Chromium aborts requests in flight when a network interface comes or goes, and the test
  // engines add and remove bridges all the time. A read is asked again. A DELETE is idempotent, so
  // it is asked again too: a 404 then means the aborted attempt had already removed it. Any other
  // change is repeated only when the caller says it is idempotent (it may have happened).
  for (let attempt = 1; ; attempt += 1) {
    try {
      const res = await call();
      if (method === 'DELETE' && attempt > 1 && res.status === 404)
        return { status: 204, json: null };
      return res;
    } catch (err) {
      const again = method === 'GET' || method === 'DELETE' || options.idempotent === true;
      if (!again || attempt >= 4 || !/Failed to fetch|NETWORK_CHANGED/.test(String(err))) throw err;
    }
  }
}

/** Writes the page in light and dark for review. */
export async function screenshot(page: Page, label: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: join(SHOTS, `${label}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Opens a collapsed part of a form (a <details> by its summary); leaves an open one open. */
export async function openSection(page: Page, title: string): Promise<void> {
  const details = page.locator('details', {
    has: page.locator('summary', { hasText: new RegExp(`^${title}$`) }),
  });
  if ((await details.getAttribute('open')) === null) {
    await details.locator('summary').first().click();
  }
}

/**
 * Clicks a download link and gives the saved file. Chromium cancels a download when a network
 * interface comes or goes (the test engines add and remove them all the time, in bursts that
 * nothing announces): a cancelled one is started again. After four cancellations the link's
 * own address is fetched with the page's session instead (the same request the browser makes,
 * outside Chromium's download manager), so the suite checks Berth's answer, not the machine's
 * network churn.
 */
export async function downloadVia(
  page: Page,
  link: Locator,
): Promise<{ path: string; filename: string }> {
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const failure = await download.failure();
    if (failure === null) {
      return { path: await download.path(), filename: download.suggestedFilename() };
    }
    if (!/canceled|NETWORK_CHANGED/i.test(failure)) {
      throw new Error(`the download of ${download.suggestedFilename()} failed: ${failure}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
  }
  const href = await link.getAttribute('href');
  if (href === null) throw new Error('the download link has no address');
  const res = await page.request.get(href);
  if (!res.ok()) throw new Error(`the download of ${href} failed: ${res.status()}`);
  const filename =
    /filename="([^"]+)"/.exec(res.headers()['content-disposition'] ?? '')?.[1] ?? 'download';
  const path = join(mkdtempSync(join(tmpdir(), 'berth-download-')), filename);
  writeFileSync(path, await res.body());
  return { path, filename };
}

/** An account made through an admin's page (same origin, the admin's session). */
export async function createUser(
  adminPage: Page,
  user: { username: string; password: string; role: 'admin' | 'operator' | 'viewer' },
): Promise<void> {
  const made = await api(adminPage, 'POST', '/api/users', { ...user, hosts: ['local'] });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
}

/** Follows a link of the main navigation and waits for that page's heading. */
export async function navigate(page: Page, name: string): Promise<void> {
  await page.getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, exact: true }).waitFor();
}
