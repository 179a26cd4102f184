import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { audit } from './ui-axe.js';
import { SHOTS, api, screenshot, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/**
 * The app shell: the side navigation (collapsible, a drawer on phones), the top bar (host,
 * search, preferences, user menu), the detail tabs on a phone; and a tour of every page in both
 * themes at 1366 and 375 px, each through axe, its screenshots in e2e/output/screenshots/.
 */
const suffix = Math.random().toString(16).slice(2, 8);
const name = `shell-app-${suffix}`;
const volume = `shell-vol-${suffix}`;
const DESKTOP = { width: 1366, height: 860 };
const PHONE = { width: 375, height: 800 };
let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi();
}, 120_000);
afterAll(async () => {
  await ui.stop();
});

async function createFixtures(page: Page): Promise<void> {
  if ((await api(page, 'GET', `/api/hosts/local/containers/${name}`)).status === 200) return;
  const made = [
    await api(page, 'POST', '/api/hosts/local/volumes', { name: volume }),
    await api(page, 'POST', '/api/hosts/local/containers', {
      name,
      image: TEST_IMAGE,
      command: ['sh', '-c', 'echo ready; sleep 600'],
      env: { GREETING: 'hello' },
      ports: [{ containerPort: 80 }],
      mounts: [{ type: 'volume', source: volume, target: '/data' }],
      stopTimeoutS: 1,
      validateSeconds: 0,
    }),
  ];
  for (const result of made) expect(result.status, JSON.stringify(result.json)).toBe(201);
}

/** Screenshots at the desktop and the phone width, each in light and dark. */
async function shoot(page: Page, label: string): Promise<void> {
  for (const [viewport, tag] of [
    [DESKTOP, '1366'],
    [PHONE, '375'],
  ] as const) {
    await page.setViewportSize(viewport);
    await screenshot(page, `shell-${label}-${tag}`);
  }
  await page.setViewportSize(DESKTOP);
}

const sideNav = (page: Page): Locator => page.locator('aside.sidenav');

describe('the app shell', () => {
  it('shows the setup and login pages in both themes at both widths, passing axe', async () => {
    const problems: string[] = [];
    const { context, page } = await ui.newPage();
    await page.setViewportSize(DESKTOP);
    await page.goto('/');
    await page.getByRole('heading', { name: 'Set up Berth' }).waitFor();
    problems.push(...(await audit(page, 'setup')));
    await shoot(page, 'setup');
    await setupAndLogin(page);
    await context.close();

    const fresh = await ui.newPage();
    await fresh.page.goto('/login');
    await fresh.page.getByRole('heading', { name: 'Log in to Berth' }).waitFor();
    problems.push(...(await audit(fresh.page, 'login')));
    await shoot(fresh.page, 'login');
    await fresh.context.close();
    expect(problems, problems.join('\n')).toEqual([]);
  }, 120_000);

  it('collapses the side navigation to icons, keeps the links named, and remembers it', async () => {
    const { context, page } = await ui.newPage();
    await page.setViewportSize(DESKTOP);
    await setupAndLogin(page);
    const wide = (await sideNav(page).boundingBox())?.width ?? 0;
    expect(wide).toBeGreaterThan(180);

    await page.getByRole('button', { name: 'Collapse navigation' }).click();
    await page.getByRole('button', { name: 'Expand navigation' }).waitFor();
    const narrow = (await sideNav(page).boundingBox())?.width ?? 0;
    expect(narrow).toBeLessThan(80);
    // Icons only, but each link keeps its name, and following one still works.
    await page.getByRole('link', { name: 'Containers', exact: true }).click();
    await page.getByRole('heading', { name: 'Containers', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Expand navigation' }).waitFor();
    expect((await sideNav(page).boundingBox())?.width ?? 0).toBe(narrow);
    await shoot(page, 'containers-nav-collapsed');

    await page.getByRole('button', { name: 'Expand navigation' }).click();
    await page.getByRole('button', { name: 'Collapse navigation' }).waitFor();
    expect((await sideNav(page).boundingBox())?.width ?? 0).toBe(wide);
    await context.close();
  }, 120_000);

  it('on a phone: a header of at most 64 px, the navigation in a drawer that closes on a link and on Escape', async () => {
    const { context, page } = await ui.newPage();
    await page.setViewportSize(PHONE);
    await setupAndLogin(page);
    const header = page.locator('header.topbar');
    const height = (await header.boundingBox())?.height ?? Infinity;
    writeFileSync(join(SHOTS, '..', 'ui-shell-header.json'), JSON.stringify({ height }));
    expect(height).toBeLessThanOrEqual(64);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    // The side navigation is not on screen: the drawer carries it.
    expect(await sideNav(page).isVisible()).toBe(false);

    const menuButton = page.getByRole('button', { name: 'Open navigation' });
    await menuButton.click();
    const drawer = page.getByRole('dialog', { name: 'Berth' });
    await drawer.waitFor();
    await screenshot(page, 'shell-drawer-375');
    // The display preferences the phone's top bar has no room for are in the drawer.
    await drawer.getByRole('combobox', { name: 'Theme' }).waitFor();
    await drawer.getByRole('checkbox', { name: 'Show commands' }).waitFor();
    await drawer.getByRole('link', { name: 'Volumes', exact: true }).click();
    await page.getByRole('heading', { name: 'Volumes', exact: true }).waitFor();
    await drawer.waitFor({ state: 'hidden' });

    await menuButton.click();
    await drawer.waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await expect
      .poll(() => page.evaluate('document.activeElement?.getAttribute("aria-label")'))
      .toBe('Open navigation');
    await context.close();
  }, 120_000);

  it('opens the command palette from the search button, and logs out from the user menu', async () => {
    const { context, page } = await ui.newPage();
    await page.setViewportSize(DESKTOP);
    await setupAndLogin(page);
    const search = page.getByRole('button', { name: /^Search… (Ctrl K|⌘K)$/ });
    expect(await search.textContent()).toMatch(/Ctrl K|⌘K/);
    await search.click();
    const input = page.getByRole('combobox', { name: 'Go to' });
    await input.fill('Volu');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Volumes', exact: true }).waitFor();

    expect(await page.getByTestId('current-user').textContent()).toBe('admin (admin)');
    await page.getByRole('button', { name: 'User menu: admin (admin)' }).click();
    await page.getByRole('menuitem', { name: 'Account' }).click();
    await page.getByRole('heading', { name: 'Administration', exact: true }).waitFor();
    await page.getByRole('button', { name: 'User menu: admin (admin)' }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Berth' }).waitFor();
    // Logged out for real: the app sends the visitor back to the login page.
    await page.goto('/containers');
    await page.getByRole('heading', { name: 'Log in to Berth' }).waitFor();
    await context.close();
  }, 120_000);

  it("scrolls a container's tabs sideways on a phone with a hint that more are there; ?tab= opens one", async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await createFixtures(page);
    await page.setViewportSize(PHONE);
    await page.goto(`/containers/${name}?tab=Logs`);
    expect(await page.getByRole('tab', { name: 'Logs' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    await page.getByTestId('logs').filter({ hasText: 'ready' }).waitFor();
    const more = page.getByTestId('tabs-more-end');
    await more.waitFor();
    expect(await page.getByTestId('tabs-more-start').count()).toBe(0);
    // Scrolled to the end: the hint moves to the start.
    await page.evaluate(
      "(() => { const el = document.querySelector('[role=tablist]'); el.scrollLeft = el.scrollWidth; })()",
    );
    await page.getByTestId('tabs-more-start').waitFor();
    await more.waitFor({ state: 'detached' });
    // The last tab is reachable, and the page stays as wide as the phone.
    await page.getByRole('tab', { name: 'Inspect' }).click();
    await page.locator('.json').waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    // On a desktop every tab fits: no hint.
    await page.setViewportSize(DESKTOP);
    await page.getByTestId('tabs-more-start').waitFor({ state: 'detached' });
    expect(await more.count()).toBe(0);
    await context.close();
  }, 120_000);

  it('tours every page in light and dark at 1366 and 375 px, each passing axe', async () => {
    const problems: string[] = [];
    const { context, page } = await ui.newPage();
    await page.setViewportSize(DESKTOP);
    await setupAndLogin(page);
    await createFixtures(page);
    const main = page.getByRole('main');
    const pages: { label: string; path: string; ready: Locator }[] = [
      { label: 'dashboard', path: '/', ready: page.getByTestId('host-memory') },
      {
        label: 'containers',
        path: '/containers',
        ready: page.getByRole('link', { name, exact: true }),
      },
      {
        label: 'create-container',
        path: '/containers/new',
        ready: page.getByRole('heading', { name: 'Create container' }),
      },
      { label: 'images', path: '/images', ready: main.getByText(TEST_IMAGE).first() },
      { label: 'networks', path: '/networks', ready: page.getByTestId('topology') },
      {
        label: 'volumes',
        path: '/volumes',
        ready: page.getByTestId('volume-list').locator(`tr[data-name="${volume}"]`),
      },
      { label: 'system', path: '/system', ready: page.getByText('Disk usage') },
      { label: 'admin', path: '/admin', ready: page.getByTestId('audit') },
    ];
    for (const p of pages) {
      await page.goto(p.path);
      await p.ready.first().waitFor({ timeout: 20_000 });
      problems.push(...(await audit(page, p.path)));
      await shoot(page, p.label);
    }

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
      problems.push(...(await audit(page, `container ${tab}`)));
      await shoot(page, `container-${tab.replace(/\W+/g, '-').toLowerCase()}`);
    }
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog', { name: `Remove ${name}?` }).waitFor();
    problems.push(...(await audit(page, 'remove dialog')));
    await shoot(page, 'confirm-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await context.close();
    expect(problems, problems.join('\n')).toEqual([]);
  }, 400_000);
});
