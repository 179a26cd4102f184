import type { Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { waitFor } from '../packages/server/src/testing/wait-for.js';
import { api, createUser, login, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/** Working with containers day to day: streams that survive drops, bulk tags, preferences. */
const suffix = Math.random().toString(16).slice(2, 8);

let ui: UiHarness;
const newPage = () => ui.newPage();

beforeAll(async () => {
  ui = await startUi();
}, 120_000);

afterAll(async () => {
  await ui.stop();
});

describe('containers day to day in Chromium', () => {
  it('follows logs through a dropped connection without losing or repeating a line', async () => {
    const { context, page } = await newPage();
    await setupAndLogin(page);
    const target = `ui-drop-${suffix}`;
    const made = await api(page, 'POST', '/api/hosts/local/containers', {
      name: target,
      image: TEST_IMAGE,
      command: ['sh', '-c', 'echo before-the-drop; sleep 600'],
      stopTimeoutS: 1,
      validateSeconds: 0,
    });
    expect(made.status).toBe(201);
    // Every logs socket of the page goes through here, so the test can cut the first one.
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/logs\/stream/, (socket) => {
      socket.connectToServer();
      sockets.push(socket);
    });
    await page.goto(`/containers/${target}`);
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByTestId('logs').filter({ hasText: 'before-the-drop' }).waitFor();
    await sockets[0]?.close({ code: 1006, reason: 'cut by the test' });
    await waitFor('the panel to open a second socket', () => sockets.length === 2);
    await page.getByTestId('logs-status').filter({ hasText: 'following' }).waitFor();
    const exec = await api(page, 'POST', `/api/hosts/local/containers/${target}/exec`, {
      command: ['sh', '-c', 'echo after-the-drop > /proc/1/fd/1'],
    });
    expect(exec.status).toBe(200);
    await page.getByTestId('logs').filter({ hasText: 'after-the-drop' }).waitFor();
    const text = (await page.getByTestId('logs').textContent()) ?? '';
    expect(text.split('before-the-drop').length - 1).toBe(1);
    await api(page, 'DELETE', `/api/hosts/local/containers/${target}?force=true`);
    await context.close();
  });

  it('tags and removes several containers at once, asking first and naming them', async () => {
    const { context, page } = await newPage();
    await setupAndLogin(page);
    const names = [`ui-bulk-a-${suffix}`, `ui-bulk-b-${suffix}`];
    for (const n of names) {
      const made = await api(page, 'POST', '/api/hosts/local/containers', {
        name: n,
        image: TEST_IMAGE,
        autoStart: false,
      });
      expect(made.status).toBe(201);
    }
    await page.getByRole('link', { name: 'Containers', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Search containers' }).fill(`ui-bulk-`);
    for (const n of names) await page.getByRole('checkbox', { name: `Select ${n}` }).check();
    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    await bar.getByLabel('Environment tag for the selected').selectOption('staging');
    await bar.getByRole('button', { name: 'Set environment' }).click();
    await page.getByRole('status').filter({ hasText: '2 done, 0 failed' }).waitFor();
    for (const n of names)
      await page
        .getByTestId('container-row')
        .filter({ hasText: n })
        .getByText('staging', { exact: true })
        .waitFor();

    // One of them on its own page: a different tag, no recreate.
    await page.getByRole('link', { name: names[0] ?? '', exact: true }).click();
    await page.getByLabel('Environment tag', { exact: true }).fill('Bad Tag');
    await page.getByText('lowercase letters, digits, _ and -, at most 32').waitFor();
    await page.getByLabel('Environment tag', { exact: true }).fill('prod');
    await page.getByRole('button', { name: 'Save tag' }).click();
    await page.getByRole('button', { name: 'Clear tag' }).waitFor();
    expect(
      (
        (await api(page, 'GET', `/api/hosts/local/containers/${names[0] ?? ''}`)).json as {
          environment: string;
        }
      ).environment,
    ).toBe('prod');

    await page.getByRole('link', { name: 'Containers', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Search containers' }).fill(`ui-bulk-`);
    for (const n of names) await page.getByRole('checkbox', { name: `Select ${n}` }).check();
    await bar.getByRole('button', { name: 'Remove' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove 2 containers?' });
    for (const n of names) await dialog.getByText(n, { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('status').filter({ hasText: '2 done, 0 failed' }).waitFor();
    for (const n of names)
      await page.getByRole('link', { name: n, exact: true }).waitFor({ state: 'detached' });
    await context.close();
  });

  /** The next preferences change the page sends, answered. */
  const saved = (page: Page) =>
    page.waitForResponse(
      (r) => r.url().endsWith('/api/me/preferences') && r.request().method() === 'PATCH',
    );

  it('keeps "Show commands" and the theme per user, across reloads', async () => {
    const { context, page } = await newPage();
    await setupAndLogin(page);
    const toggle = page.getByRole('checkbox', { name: 'Show commands' });
    await page.getByRole('link', { name: 'Containers', exact: true }).click();
    await page.getByRole('link', { name: 'Create container' }).click();
    await page.getByLabel('Image').fill(TEST_IMAGE);
    await page.getByTestId('docker-command').waitFor();
    await Promise.all([saved(page), toggle.uncheck()]);
    await page.getByTestId('docker-command').waitFor({ state: 'detached' });
    await Promise.all([
      saved(page),
      page.getByRole('combobox', { name: 'Theme' }).selectOption('dark'),
    ]);
    expect(await page.evaluate('document.documentElement.dataset.theme')).toBe('dark');
    // Checked before and after the server's answer: the page paints with the last choice.
    const loaded = page.waitForResponse(
      (r) => r.url().endsWith('/api/me/preferences') && r.request().method() === 'GET',
    );
    await page.reload();
    await page.getByLabel('Image').waitFor();
    expect(await toggle.isChecked()).toBe(false);
    await loaded;
    expect(await toggle.isChecked()).toBe(false);
    expect(await page.getByTestId('docker-command').count()).toBe(0);
    expect(await page.getByRole('combobox', { name: 'Theme' }).inputValue()).toBe('dark');

    // Another user on the same browser has their own.
    await createUser(page, {
      username: 'prefs-watcher',
      password: 'watcher password 1',
      role: 'viewer',
    });
    const other = await newPage();
    await login(other.page, 'prefs-watcher', 'watcher password 1');
    expect(await other.page.getByRole('checkbox', { name: 'Show commands' }).isChecked()).toBe(
      true,
    );
    expect(await other.page.getByRole('combobox', { name: 'Theme' }).inputValue()).toBe('system');
    await other.context.close();

    await Promise.all([saved(page), toggle.check()]);
    await Promise.all([
      saved(page),
      page.getByRole('combobox', { name: 'Theme' }).selectOption('system'),
    ]);
    await context.close();
  });
});
