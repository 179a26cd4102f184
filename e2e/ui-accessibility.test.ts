import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { audit, openAllDetails } from './ui-axe.js';
import {
  ADMIN,
  SETUP_TOKEN,
  api,
  screenshot,
  setupAndLogin,
  startUi,
  type UiHarness,
} from './ui-harness.js';

/**
 * Every page through axe-core, light and dark, at 1280 and 375 px wide, with no sideways
 * scrolling on the phone; and the containers page driven by the keyboard alone.
 */
const suffix = Math.random().toString(16).slice(2, 8);
const name = `a11y-app-${suffix}`;
const network = `a11y-net-${suffix}`;
const volume = `a11y-vol-${suffix}`;
let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi();
}, 120_000);
afterAll(async () => {
  await ui.stop();
});

/** A running container with something in every part of its detail page. */
async function createFixtures(page: Page): Promise<void> {
  const made = [
    // A range of its own: the engine's default pools are shared with every engine on the machine.
    await api(page, 'POST', '/api/hosts/local/networks', {
      name: network,
      driver: 'bridge',
      subnet: `10.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 250)}.0/24`,
    }),
    await api(page, 'POST', '/api/hosts/local/volumes', { name: volume }),
    await api(page, 'POST', '/api/hosts/local/containers', {
      name,
      image: TEST_IMAGE,
      command: ['sh', '-c', 'echo ready; echo oops >&2; sleep 600'],
      env: { GREETING: 'hello' },
      ports: [{ containerPort: 80 }],
      mounts: [{ type: 'volume', source: volume, target: '/data' }],
      networks: [{ name: network }],
      labels: { team: 'a11y' },
      environment: 'staging',
      stopTimeoutS: 1,
      validateSeconds: 0,
    }),
  ];
  for (const result of made) expect(result.status, JSON.stringify(result.json)).toBe(201);
}

interface Focused {
  what: string;
  marked: boolean;
  inDialog: boolean;
}
/** What the keyboard has focused: a short description and whether it is visibly marked. */
async function focused(page: Page): Promise<Focused> {
  return page.evaluate<Focused>(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { what: 'body', marked: false, inDialog: false };
    const style = getComputedStyle(el);
    const name = el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40);
    return {
      what: el.tagName.toLowerCase() + ':' + name,
      marked: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none',
      inDialog: el.closest('dialog[open]') !== null,
    };
  })()`);
}

describe('accessibility and layout of the web UI', () => {
  it('setup and login pass axe in both themes and fit a phone', async () => {
    const problems: string[] = [];
    const { context, page } = await ui.newPage();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Set up Berth' }).waitFor();
    problems.push(...(await audit(page, 'setup')));
    await page.getByRole('button', { name: 'Create admin' }).click();
    await page.locator('.field-error').first().waitFor();
    problems.push(...(await audit(page, 'setup with errors')));
    await page.getByLabel('Setup token').fill(SETUP_TOKEN);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin' }).click();
    await page.getByTestId('host-check').waitFor();
    problems.push(...(await audit(page, 'setup done')));
    await context.close();

    const fresh = await ui.newPage();
    await fresh.page.goto('/login');
    await fresh.page.getByRole('heading', { name: 'Log in to Berth' }).waitFor();
    problems.push(...(await audit(fresh.page, 'login')));
    await fresh.page.getByLabel('Username').fill(ADMIN.username);
    await fresh.page.getByLabel('Password').fill('not the password');
    await fresh.page.getByRole('button', { name: 'Log in' }).click();
    await fresh.page.getByRole('alert').waitFor();
    problems.push(...(await audit(fresh.page, 'login with an error')));
    await fresh.context.close();
    expect(problems, problems.join('\n')).toEqual([]);
  }, 120_000);

  it('dashboard, lists, images, networks, volumes, system and admin pass axe', async () => {
    const problems: string[] = [];
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await createFixtures(page);

    await page.goto('/');
    await page.getByTestId('host-memory').waitFor();
    problems.push(...(await audit(page, 'dashboard')));
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Go to' }).fill('a11y');
    problems.push(...(await audit(page, 'command palette')));
    await page.keyboard.press('Escape');

    await page.goto('/containers');
    // The engine is shared with the other suites: find ours as a user would, not by its place
    // in a virtualised list that may hold hundreds of theirs.
    await page.getByRole('searchbox', { name: 'Search containers' }).fill(name);
    await page.getByRole('link', { name, exact: true }).waitFor();
    await page.getByRole('checkbox', { name: `Select ${name}` }).check();
    problems.push(...(await audit(page, 'containers')));

    const pages = [
      {
        path: '/images',
        heading: 'Images',
        ready: page.getByRole('main').getByText(TEST_IMAGE).first(),
      },
      {
        path: '/networks',
        heading: 'Networks',
        ready: page.getByTestId('network-list').locator(`tr[data-name="${network}"]`),
      },
      {
        path: '/volumes',
        heading: 'Volumes',
        ready: page.getByTestId('volume-list').locator(`tr[data-name="${volume}"]`),
      },
      { path: '/system', heading: 'System', ready: page.getByText('Disk usage') },
      { path: '/admin', heading: 'Administration', ready: page.getByTestId('audit') },
    ];
    for (const p of pages) {
      await page.goto(p.path);
      await page.getByRole('heading', { name: p.heading, exact: true }).waitFor();
      await p.ready.waitFor();
      await openAllDetails(page);
      problems.push(...(await audit(page, p.path)));
    }
    await screenshot(page, 'a11y-admin');

    // The side panels of a network and of a volume, opened from their rows' menus.
    for (const [path, name, item, title] of [
      ['/networks', network, 'Details', `Network ${network}`],
      ['/volumes', volume, 'Backups', `Backups of ${volume}`],
    ] as const) {
      await page.goto(path);
      await page.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
      await page.getByRole('menuitem', { name: item, exact: true }).click();
      await page.getByRole('dialog', { name: title }).waitFor();
      problems.push(...(await audit(page, `${path} ${item} panel`)));
    }
    await context.close();
    expect(problems, problems.join('\n')).toEqual([]);
  }, 240_000);

  it("a container's every tab, and the create and edit forms with every section open, pass axe", async () => {
    const problems: string[] = [];
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    if ((await api(page, 'GET', `/api/hosts/local/containers/${name}`)).status !== 200)
      await createFixtures(page);

    await page.goto(`/containers/${name}`);
    await page.getByTestId('container-state').filter({ hasText: 'running' }).waitFor();
    const tabs = [
      { tab: 'Overview', ready: page.getByRole('heading', { name: 'docker run' }) },
      { tab: 'Logs', ready: page.getByTestId('logs').filter({ hasText: 'ready' }) },
      {
        tab: 'Terminal',
        ready: page.getByTestId('terminal-status').filter({ hasText: 'connected' }),
      },
      { tab: 'Stats', ready: page.locator('[data-testid="stats"][data-samples="2"]') },
      { tab: 'Files', ready: page.getByRole('button', { name: 'bin/' }) },
      { tab: 'Processes & updates', ready: page.getByRole('cell', { name: /sleep 600/ }) },
      { tab: 'Inspect', ready: page.locator('.json') },
    ];
    for (const { tab, ready } of tabs) {
      await page.getByRole('tab', { name: tab }).click();
      await ready.waitFor({ timeout: 20_000 });
      if (tab === 'Logs') await page.getByRole('checkbox', { name: 'Timestamps' }).check();
      problems.push(...(await audit(page, `container ${tab}`)));
      if (tab === 'Terminal') await screenshot(page, 'a11y-terminal');
    }
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: `Remove ${name}?` }).waitFor();
    problems.push(...(await audit(page, 'remove dialog')));
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    await page.goto('/containers/new');
    await page.getByRole('heading', { name: 'Create container' }).waitFor();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText('the image to run, like nginx:1.27').waitFor();
    await openAllDetails(page);
    for (const noun of ['port', 'mount', 'network', 'device']) {
      await page.getByRole('button', { name: `Add ${noun}`, exact: true }).click();
    }
    problems.push(...(await audit(page, 'create container')));
    await screenshot(page, 'a11y-create-container');

    await page.goto(`/containers/${name}/edit`);
    await page.getByRole('heading', { name: `Edit ${name}` }).waitFor();
    await openAllDetails(page);
    problems.push(...(await audit(page, 'edit container')));
    await context.close();
    expect(problems, problems.join('\n')).toEqual([]);
  }, 240_000);

  it('works the containers page and the command palette from the keyboard alone', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    if ((await api(page, 'GET', `/api/hosts/local/containers/${name}`)).status !== 200)
      await createFixtures(page);
    await page.goto('/containers');
    await page.getByRole('link', { name, exact: true }).waitFor();

    // From a fresh load, Tab through the page; type into the search box when it has focus.
    const order: string[] = [];
    for (let i = 0; i < 40 && !order.includes(`a:${name}`); i += 1) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      expect(now.marked, `${now.what} has focus but no visible outline`).toBe(true);
      order.push(now.what);
      if (now.what === 'input:Search containers') await page.keyboard.type(name);
    }
    const fields = [
      'a:Skip to content',
      'a:Create container',
      'input:Search containers',
      'select:State',
      'select:Environment',
      'select:Stack',
      'select:Managed or external',
      'select:Sort by',
      `input:Select ${name}`,
      `a:${name}`,
    ];
    const positions = fields.map((field) => order.indexOf(field));
    expect(positions, `focus order: ${order.join(' → ')}`).not.toContain(-1);
    expect(positions, `focus order: ${order.join(' → ')}`).toEqual(
      [...positions].sort((a, b) => a - b),
    );
    expect(positions[0]).toBe(0);

    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name, exact: true }).waitFor();
    await page.getByTestId('container-state').waitFor();

    // The palette: opens on Ctrl-K, keeps Tab inside, closes on Escape, gives focus back.
    await page.getByRole('tab', { name: 'Logs' }).focus();
    await page.keyboard.press('Control+k');
    const input = page.getByRole('combobox', { name: 'Go to' });
    await input.waitFor();
    expect((await focused(page)).what).toBe('input:Go to');
    await page.keyboard.type('Dash');
    const inPalette: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      inPalette.push(now.what);
      expect(now.inDialog, `Tab left the open palette: ${inPalette.join(' → ')}`).toBe(true);
      expect(now.marked, `${now.what} has focus but no visible outline`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Go to' }).waitFor({ state: 'hidden' });
    // Focus returns to the opener a task after the dialog unmounts.
    await expect.poll(async () => (await focused(page)).what).toBe('button:Logs');
    await context.close();
  }, 120_000);
});
