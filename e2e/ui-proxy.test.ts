import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCaddyTools, startTestCaddy, type TestCaddy } from '../scripts/lib/test-caddy.mjs';
import { dockerCli } from '../packages/server/src/testing/docker-cli.js';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { waitFor } from '../packages/server/src/testing/wait-for.js';
import { audit, openAllDetails } from './ui-axe.js';
import {
  api,
  createUser,
  login,
  navigate,
  screenshot,
  setupAndLogin,
  startUi,
  type UiHarness,
} from './ui-harness.js';

/**
 * The Proxy page with a real server, the real engine and a real Caddy (Debian's, on loopback,
 * its admin API on a socket): a route made through the dialog answers through Caddy.
 */
const suffix = Math.random().toString(16).slice(2, 8);
const web = `ui-proxy-web-${suffix}`;
const hostname = `ui-proxy-${suffix}.test`;
const BODY = `answered by ${web}`;

let ui: UiHarness;
let caddy: TestCaddy;

beforeAll(async () => {
  await ensureCaddyTools();
  caddy = await startTestCaddy({ admin: 'socket' });
  // A web server publishing its port on loopback, where Caddy dials it.
  const run = await dockerCli([
    'run',
    '--detach',
    '--name',
    web,
    '--label',
    'io.berth.test=ui-proxy',
    '--publish',
    '127.0.0.1::8080',
    TEST_IMAGE,
    'sh',
    '-c',
    `mkdir -p /www && echo '${BODY}' > /www/index.html && exec httpd -f -p 8080 -h /www`,
  ]);
  expect(run.code, run.stderr).toBe(0);
  ui = await startUi({
    env: { BERTH_CADDY_ADMIN: caddy.admin, BERTH_PROXY_CHECK_SECONDS: '1' },
  });
}, 120_000);
afterAll(async () => {
  await dockerCli(['rm', '--force', web]);
  await ui.stop();
  await caddy.stop();
});

/** GET through Caddy's HTTPS listener as a browser would for `name`: SNI and Host, Caddy's CA. */
function throughCaddy(name: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: caddy.httpsPort,
        path: '/',
        servername: name,
        headers: { Host: name },
        ca: readFileSync(caddy.caRootPath),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('no answer through Caddy')));
    req.end();
  });
}

const routeRow = (page: Page) => page.getByTestId('route-row').filter({ hasText: hostname });

describe('the Proxy page in Chromium', () => {
  it('shows Caddy reachable, creates a route through the dialog that answers, edits, removes', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await navigate(page, 'Proxy');
    const banner = page.getByTestId('proxy-state');
    await banner.getByText('Caddy reachable').waitFor();
    await page.getByText('No routes yet.').waitFor();

    await page.getByRole('button', { name: 'Add route' }).click();
    const dialog = page.getByRole('dialog', { name: 'New route' });
    // The contract's checks, said under the fields before anything is sent.
    await dialog.getByLabel('Hostnames').fill('not a hostname!');
    await dialog.getByRole('button', { name: 'Add route' }).click();
    await dialog.getByText('a hostname (letters, digits').waitFor();
    await dialog.getByText('Choose a container').waitFor();

    await dialog.getByLabel('Hostnames').fill(hostname);
    await dialog.getByLabel('Container').selectOption(web);
    await dialog.getByLabel('Port').fill('8080');
    // The port is offered from the container's own (once its complaint is corrected).
    await dialog.getByText('As the container listens on it: 8080, or another').waitFor();
    await dialog.getByRole('radio', { name: /Internal CA/ }).check();
    await openAllDetails(page);
    expect(await audit(page, 'route dialog')).toEqual([]);
    await screenshot(page, 'proxy-route-dialog');
    await dialog.getByRole('button', { name: 'Add route' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Applied in Caddy: the row says so (live), and the hostname answers through Caddy.
    const row = routeRow(page);
    await row.and(page.locator('[data-applied="applied"]')).waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => (await throughCaddy(hostname).catch(() => null))?.body ?? '', {
        timeout: 30_000,
      })
      .toContain(BODY);
    expect(await row.getByRole('link', { name: hostname }).getAttribute('target')).toBe('_blank');
    expect(
      await row.getByRole('link', { name: new RegExp(`${web}:8080`) }).getAttribute('href'),
    ).toBe(`/hosts/local/containers/${web}`);
    await row.getByText('Internal CA').waitFor();
    expect(await audit(page, 'proxy page')).toEqual([]);
    await screenshot(page, 'proxy-page');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'proxy-page-375');
    await page.setViewportSize({ width: 1280, height: 860 });

    // The container's page and the containers list link to it.
    await page.goto(`/hosts/local/containers/${web}`);
    const links = page.getByTestId('route-links');
    await links.getByRole('link', { name: hostname }).waitFor();
    expect(await links.getByRole('link', { name: hostname }).getAttribute('target')).toBe('_blank');
    await page.goto('/hosts/local/containers');
    await page
      .getByTestId('container-row')
      .filter({ hasText: web })
      .getByRole('link', { name: hostname })
      .waitFor();
    await screenshot(page, 'proxy-container-links');

    // Edit: a second hostname and a response header; the Caddyfile equivalent is shown.
    await navigate(page, 'Proxy');
    await routeRow(page)
      .getByRole('button', { name: `Actions for ${hostname}` })
      .click();
    await page.getByRole('menuitem', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: `Edit ${hostname}` });
    await edit.getByLabel('Hostnames').fill(`${hostname}, www.${hostname}`);
    await edit.getByText('Advanced').click();
    await edit.getByRole('button', { name: 'Add header' }).last().click();
    await edit.getByLabel('Response headers: name 1').fill('X-Routed-By');
    await edit.getByLabel('Response headers: value 1').fill('berth');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await routeRow(page)
      .getByRole('link', { name: `www.${hostname}` })
      .waitFor();
    await expect
      .poll(async () => (await throughCaddy(`www.${hostname}`).catch(() => null))?.body ?? '', {
        timeout: 30_000,
      })
      .toContain(BODY);

    // The ACME account (admins): a bad email is said under its field, a good one is kept.
    await page.getByRole('button', { name: 'Settings…' }).click();
    const settings = page.getByRole('dialog', { name: 'Proxy settings' });
    await settings.getByLabel('ACME email').fill('not an email');
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.locator('.field-error').first().waitFor();
    await settings.getByLabel('ACME email').fill(`ops-${suffix}@example.com`);
    await settings.getByRole('button', { name: 'Save' }).click();
    await settings.waitFor({ state: 'detached' });
    const state = await api(page, 'GET', '/api/proxy');
    expect(state.json).toMatchObject({ settings: { acmeEmail: `ops-${suffix}@example.com` } });

    // Remove, confirmed: the row goes, and Caddy no longer answers for the name.
    await routeRow(page)
      .getByRole('button', { name: `Actions for ${hostname}` })
      .click();
    await page.getByRole('menuitem', { name: 'Remove…' }).click();
    await page
      .getByRole('dialog', { name: `Remove ${hostname}?` })
      .getByRole('button', { name: 'Remove route' })
      .click();
    await routeRow(page).waitFor({ state: 'detached' });
    await waitFor(
      'Caddy to stop answering for the removed route',
      async () => !(await throughCaddy(hostname).catch(() => ({ body: '' }))).body.includes(BODY),
      30_000,
      200,
    );

    // Live: a route made elsewhere (here straight through the API, which the page's cache does
    // not see) arrives in the table by the events stream's proxy message, without a reload.
    const elsewhere = await api(page, 'POST', '/api/proxy/routes', {
      hostnames: [`live-${hostname}`],
      target: { host: 'local', container: web, port: 8080 },
      tls: 'internal',
    });
    expect(elsewhere.status, JSON.stringify(elsewhere.json)).toBe(201);
    const live = page.getByTestId('route-row').filter({ hasText: `live-${hostname}` });
    await live.and(page.locator('[data-applied="applied"]')).waitFor({ timeout: 30_000 });
    const gone = await api(
      page,
      'DELETE',
      `/api/proxy/routes/${(elsewhere.json as { id: string }).id}`,
    );
    expect(gone.status).toBe(204);
    await live.waitFor({ state: 'detached' });
    await context.close();
  });

  it('shows a viewer the routes and no create, edit or remove', async () => {
    const { context: adminContext, page: adminPage } = await ui.newPage();
    await setupAndLogin(adminPage);
    const made = await api(adminPage, 'POST', '/api/proxy/routes', {
      hostnames: [`viewer-${hostname}`],
      target: { host: 'local', container: web, port: 8080 },
      tls: 'internal',
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const id = (made.json as { id: string }).id;
    await createUser(adminPage, {
      username: `proxy-viewer-${suffix}`,
      password: 'a viewer password 1',
      role: 'viewer',
    });
    const { context, page } = await ui.newPage();
    await login(page, `proxy-viewer-${suffix}`, 'a viewer password 1');
    await navigate(page, 'Proxy');
    const row = page.getByTestId('route-row').filter({ hasText: `viewer-${hostname}` });
    await row.waitFor();
    expect(await page.getByRole('button', { name: 'Add route' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Settings…' }).count()).toBe(0);
    await row.getByRole('button', { name: `Actions for viewer-${hostname}` }).click();
    await page.getByRole('menuitem', { name: 'View…' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Edit…' }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: 'Remove…' }).count()).toBe(0);
    await page.getByRole('menuitem', { name: 'View…' }).click();
    const view = page.getByRole('dialog', { name: `viewer-${hostname}` });
    await view.getByText(`local / ${web}:8080`).waitFor();
    expect(await audit(page, 'route view (viewer)')).toEqual([]);
    await screenshot(page, 'proxy-route-view-viewer');
    await view.getByRole('button', { name: 'Close', exact: true }).first().click();
    expect(await audit(page, 'proxy page (viewer)')).toEqual([]);
    await context.close();
    const removed = await api(adminPage, 'DELETE', `/api/proxy/routes/${id}`);
    expect(removed.status).toBe(204);
    await adminContext.close();
  });
  it('puts a wake route to sleep and wakes it from its row, live', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    const made = await api(page, 'POST', '/api/proxy/routes', {
      hostnames: [`wake-${hostname}`],
      target: { host: 'local', container: web, port: 8080 },
      tls: 'internal',
      wake: { idleMinutes: 60, startTimeoutSeconds: 30 },
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const id = (made.json as { id: string }).id;
    await navigate(page, 'Proxy');
    const row = page.getByTestId('route-row').filter({ hasText: `wake-${hostname}` });
    const wake = row.getByTestId('route-wake');
    await wake.and(page.locator('[data-state="awake"]')).waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: `Actions for wake-${hostname}` }).click();
    await page.getByRole('menuitem', { name: 'Sleep now' }).click();
    await wake.and(page.locator('[data-state="asleep"]')).waitFor({ timeout: 30_000 });
    await row.getByText('1 sleep today').waitFor();
    await row.getByRole('button', { name: `Actions for wake-${hostname}` }).click();
    await page.getByRole('menuitem', { name: 'Wake now' }).click();
    await wake.and(page.locator('[data-state="awake"]')).waitFor({ timeout: 60_000 });
    await row.getByText(/healthy in/).waitFor();
    expect(await audit(page, 'proxy page with a wake route')).toEqual([]);
    await screenshot(page, 'proxy-page-wake');
    const removed = await api(page, 'DELETE', `/api/proxy/routes/${id}`);
    expect(removed.status).toBe(204);
    await context.close();
  });
});
