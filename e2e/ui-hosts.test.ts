import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIsolatedEngine, type IsolatedEngine } from '../scripts/lib/isolated-engine.mjs';
import { buildTestImages } from '../scripts/lib/test-images.mjs';
import { EngineClient } from '../packages/server/src/docker/engine-client.js';
import { parseDockerHost } from '../packages/server/src/docker/engine-endpoint.js';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
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
 * Many hosts in the browser: a second isolated dockerd added through the Hosts page, the host
 * switcher and the host in every URL, a viewer who is granted only `local`, and removal.
 */
describe('hosts in the web UI', () => {
  const run = randomBytes(3).toString('hex');
  const onB = `only-on-b-${run}`;
  const onLocal = `only-on-local-${run}`;
  const viewer = {
    username: `viewer${run}`,
    password: 'a long viewer password',
    role: 'viewer',
  } as const;
  let engine: IsolatedEngine;
  let ui: UiHarness;

  const pathname = (page: Page): string => new URL(page.url()).pathname;
  const row = (page: Page, name: string) => page.getByRole('link', { name, exact: true });
  const containersOf = async (page: Page, host: string): Promise<void> => {
    await page.goto(`/hosts/${host}/containers`);
    await page.getByRole('heading', { name: 'Containers', exact: true }).waitFor();
    // The list is in once a container of that host is shown.
    await row(page, host === 'b' ? onB : onLocal).waitFor();
  };

  beforeAll(async () => {
    engine = await startIsolatedEngine({ bridge: false, quiet: true });
    await buildTestImages(engine.socketPath);
    const b = new EngineClient(parseDockerHost(`unix://${engine.socketPath}`));
    await b.request('POST', '/containers/create', {
      query: { name: onB },
      body: { Image: TEST_IMAGE, Cmd: ['sleep', '600'], HostConfig: { NetworkMode: 'none' } },
    });
    ui = await startUi();
  }, 180_000);
  afterAll(async () => {
    await ui.stop();
    await engine.stop();
  });

  it('adds a second engine from the Hosts page, after the test shows its version', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    const made = await api(page, 'POST', '/api/hosts/local/containers', {
      name: onLocal,
      image: TEST_IMAGE,
      command: ['sleep', '600'],
      stopTimeoutS: 1,
      validateSeconds: 0,
    });
    expect(made.status).toBe(201);
    await navigate(page, 'Hosts');
    // One host: the switcher is its name, not a menu.
    await expect.poll(() => page.getByTestId('host-switcher').textContent()).toContain('local');
    expect(await page.getByRole('button', { name: /^Host:/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Add host' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add host' });
    await dialog.getByLabel('Name').fill('b');
    await dialog.getByLabel('Socket on this machine').check();
    await dialog.getByLabel('URL').fill(`unix://${engine.socketPath}`);
    await dialog.getByLabel('Labels').fill('lab');
    const add = dialog.getByRole('button', { name: 'Add host' });
    expect(await add.isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => dialog.getByTestId('host-test').textContent())
      .toMatch(/^Reached: Docker \d+\.\d+.* engine ID \S+ · \w/);
    await screenshot(page, 'hosts-add-dialog');
    await add.click();
    await page.getByRole('status').filter({ hasText: 'Added host b' }).waitFor();
    const card = page.locator('[data-testid="host-card"][data-host="b"]');
    await card.getByText('Reachable', { exact: true }).waitFor();
    await expect.poll(() => card.textContent()).toMatch(/Docker \d+\.\d+/);
    await card.getByRole('button', { name: 'Hardware profile' }).click();
    await card.getByTestId('host-hardware').waitFor();
    await screenshot(page, 'hosts-page');
    await context.close();
  }, 120_000);

  it('switches hosts, keeps the section, and has the host in every URL', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await page.goto('/hosts/local/images');
    await page.getByRole('heading', { name: 'Images', exact: true }).waitFor();
    await page.getByTestId('host-switcher').click();
    // Grouped by label: b under "lab", local under "No label".
    await page.getByRole('menu').getByText('lab', { exact: true }).waitFor();
    await page.getByRole('menu').getByText('No label', { exact: true }).waitFor();
    await page.getByRole('menuitemradio', { name: /^b\W*reachable/ }).click();
    await page.waitForURL((url) => url.pathname === '/hosts/b/images');
    await navigate(page, 'Containers');
    expect(pathname(page)).toBe('/hosts/b/containers');
    await row(page, onB).waitFor();
    expect(await row(page, onLocal).count()).toBe(0);

    // Back and forward move between the hosts' pages.
    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/hosts/b/images');
    await page.goForward();
    await row(page, onB).waitFor();

    // A deep link to the other host's list, and a detail page: switching leads to the list.
    await containersOf(page, 'local');
    expect(await row(page, onB).count()).toBe(0);
    await page.goto(`/hosts/b/containers/${onB}`);
    await page.getByRole('heading', { name: onB }).waitFor();
    await page.getByTestId('host-switcher').click();
    await page.getByRole('menuitemradio', { name: /^local\W*reachable/ }).click();
    await page.waitForURL((url) => url.pathname === '/hosts/local/containers');

    // An address from before hosts were in URLs opens on the host used last.
    await page.goto('/hosts/b/volumes');
    await page.getByRole('heading', { name: 'Volumes', exact: true }).waitFor();
    await page.goto(`/containers/${onB}?tab=Logs`);
    await page.waitForURL((url) => url.pathname === `/hosts/b/containers/${onB}`);
    expect(new URL(page.url()).search).toBe('?tab=Logs');
    await context.close();
  }, 120_000);

  it('never shows a viewer granted only local the other host', async () => {
    const { context: adminContext, page: adminPage } = await ui.newPage();
    await setupAndLogin(adminPage);
    await createUser(adminPage, viewer);
    await adminContext.close();

    const { context, page } = await ui.newPage();
    await login(page, viewer.username, viewer.password);
    await expect.poll(() => page.getByTestId('host-switcher').textContent()).toContain('local');
    expect(await page.getByRole('button', { name: /^Host:/ }).count()).toBe(0);
    await navigate(page, 'Hosts');
    await page.locator('[data-testid="host-card"][data-host="local"]').waitFor();
    expect(await page.locator('[data-testid="host-card"]').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Add host' }).count()).toBe(0);

    await page.goto(`/hosts/b/containers/${onB}`);
    await page.getByRole('heading', { name: 'No such host' }).waitFor();
    await page.getByRole('link', { name: 'See the hosts you can use' }).click();
    await page.waitForURL((url) => url.pathname === '/hosts');
    await context.close();
  }, 60_000);

  it('removes the host, after a confirm that names it', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await navigate(page, 'Hosts');
    const local = page.locator('[data-testid="host-card"][data-host="local"]');
    await local.getByText('Cannot be removed').waitFor();
    const card = page.locator('[data-testid="host-card"][data-host="b"]');
    await card.getByRole('button', { name: 'Remove' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove host b?' });
    await confirm.getByLabel(/Also forget what Berth stored/).check();
    await confirm.getByRole('button', { name: 'Remove b' }).click();
    await page.getByRole('status').filter({ hasText: 'Removed host b' }).waitFor();
    expect(await card.count()).toBe(0);
    const hosts = await api(page, 'GET', '/api/hosts');
    expect((hosts.json as { hosts: { id: string }[] }).hosts.map((h) => h.id)).toEqual(['local']);
    // Its pages now say so, rather than showing another host's.
    await page.goto('/hosts/b/containers');
    await page.getByRole('heading', { name: 'No such host' }).waitFor();
    await api(page, 'DELETE', `/api/hosts/local/containers/${onLocal}?force=true`);
    await context.close();
  }, 60_000);
});
