import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { ADMIN, SETUP_TOKEN, api, screenshot, startUi, type UiHarness } from './ui-harness.js';

/**
 * A new user's first visit, watched on the network: the setup wizard, then every page and every
 * tab. The UI never asks what it already knows the answer to, so the browser sees no 4xx answer
 * except the ones this test provokes on purpose.
 */
const suffix = Math.random().toString(16).slice(2, 8);
const running = `ui-tour-up-${suffix}`;
const stopped = `ui-tour-down-${suffix}`;

let ui: UiHarness;
let context: BrowserContext;
let page: Page;
/** Every 4xx answer the browser got, as "STATUS METHOD /path". */
const refusals: string[] = [];
const requested: string[] = [];
const ids = new Map<string, string>();

beforeAll(async () => {
  ui = await startUi();
  ({ context, page } = await ui.newPage());
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  page.on('response', (response) => {
    if (response.status() >= 400 && response.status() < 500) {
      const { pathname } = new URL(response.url());
      refusals.push(`${response.status()} ${response.request().method()} ${pathname}`);
    }
  });
}, 120_000);

afterAll(async () => {
  await api(page, 'DELETE', `/api/hosts/local/containers/${running}?force=true`);
  await api(page, 'DELETE', `/api/hosts/local/containers/${stopped}?force=true`);
  await context.close();
  await ui.stop();
});

/** Takes the answers seen so far, leaving none behind. */
const takeRefusals = (): string[] => refusals.splice(0);

describe('a new user, watched on the network', () => {
  it('is sent to setup without being asked who they are (nobody exists yet)', async () => {
    await page.goto('/');
    await page.getByRole('heading', { name: 'Set up Berth' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(requested).toContain('/api/setup');
    expect(requested).not.toContain('/api/me');
    expect(takeRefusals()).toEqual([]);
  });

  it('sees a short password refused once, then sets up', async () => {
    await page.getByLabel('Setup token').fill(SETUP_TOKEN);
    await page.getByLabel('Password').fill('too short');
    await page.getByRole('button', { name: 'Create admin' }).click();
    const refusal = page.getByText('must be at least 12 characters');
    await refusal.first().waitFor();
    await screenshot(page, 'setup-short-password');
    // Once, under the field it is about (and announced once), not a second time in a banner.
    expect(await refusal.count()).toBe(1);
    expect(await page.getByRole('alert').count()).toBe(1);
    expect(takeRefusals()).toEqual(['400 POST /api/setup']);

    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin' }).click();
    await page.getByTestId('host-check').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByRole('link', { name: 'Go to the dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(takeRefusals()).toEqual([]);
  });

  it('tours every page and tab without one 4xx answer', async () => {
    for (const [name, autoStart] of [
      [running, true],
      [stopped, false],
    ] as const) {
      const made = await api(page, 'POST', '/api/hosts/local/containers', {
        name,
        image: TEST_IMAGE,
        command: ['sh', '-c', 'sleep 600'],
        stopTimeoutS: 1,
        autoStart,
        validateSeconds: 0,
      });
      expect(made.status, JSON.stringify(made.json)).toBe(201);
      ids.set(name, (made.json as { container: { id: string } }).container.id);
    }
    const settle = () => page.waitForLoadState('networkidle');

    for (const name of ['Dashboard', 'Containers', 'Images', 'Networks', 'Volumes', 'System']) {
      await page.getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { name, exact: true }).waitFor();
      await settle();
    }
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await settle();

    for (const name of [running, stopped]) {
      await page.goto(`/containers/${name}`);
      await page.getByRole('heading', { name }).waitFor();
      for (const tab of await page.getByRole('tab').allTextContents()) {
        await page.getByRole('tab', { name: tab }).click();
        await settle();
      }
      await page.getByRole('link', { name: 'Edit' }).click();
      await page.getByRole('heading', { name: /^Edit / }).waitFor();
      await settle();
    }
    await page.goto('/containers/new');
    await page.getByRole('heading', { name: 'Create container' }).waitFor();
    await settle();

    expect(takeRefusals()).toEqual([]);
  });

  it('shows a stopped container as not running without asking for its processes', async () => {
    await page.goto(`/containers/${stopped}`);
    await page.getByRole('tab', { name: 'Processes & updates' }).click();
    await page.getByText('Not running.').waitFor();
    await page.waitForLoadState('networkidle');
    // Only the running container's processes were ever asked for (in the tour).
    expect(requested.filter((path) => path.endsWith('/top'))).toEqual([
      `/api/hosts/local/containers/${ids.get(running)}/top`,
    ]);
    // Started, it shows its processes (the live events tell the page).
    expect((await api(page, 'POST', `/api/hosts/local/containers/${stopped}/start`)).status).toBe(
      200,
    );
    await page.getByRole('columnheader', { name: 'PID', exact: true }).waitFor();
    expect(takeRefusals()).toEqual([]);
  });
});
