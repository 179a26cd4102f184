import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRegistry } from '../scripts/lib/test-registry.mjs';
import { totpCode } from '../packages/server/src/modules/auth/totp.js';
import { freePort } from '../packages/server/src/testing/free-port.js';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import {
  ADMIN,
  SETUP_TOKEN,
  api,
  createUser,
  login,
  openSection,
  setupAndLogin,
  screenshot,
  startUi,
  type UiHarness,
} from './ui-harness.js';
import { closeDialog, imageRow, openHeaderDialog } from './images-page.js';

/** The web UI in a real Chromium, against the real server and the test engine. */
const suffix = Math.random().toString(16).slice(2, 8);
const name = `ui-web-${suffix}`;

let ui: UiHarness;
let base = '';
const newPage = () => ui.newPage();

beforeAll(async () => {
  ui = await startUi();
  base = ui.base;
}, 120_000);

afterAll(async () => {
  await ui.stop();
});

describe('the web UI in Chromium', () => {
  it('sets up, logs in, creates a container, follows its logs, uses its terminal, edits, stops and removes it', async () => {
    const { context, page } = await newPage();
    await page.goto(base);
    await page.getByRole('heading', { name: 'Set up Berth' }).waitFor();
    await screenshot(page, 'setup');
    await page.getByLabel('Setup token').fill(SETUP_TOKEN);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin' }).click();
    await page.getByTestId('host-check').waitFor();
    expect(await page.getByTestId('host-check').textContent()).toContain('Docker');
    await page.getByRole('link', { name: 'Go to the dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    await page.getByRole('button', { name: /^User menu: admin/ }).click();
    await page.getByRole('menuitem', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Berth' }).waitFor();
    await screenshot(page, 'login');
    await login(page, ADMIN.username, ADMIN.password);
    await page.getByTestId('host-memory').filter({ hasText: 'page cache' }).waitFor();
    await screenshot(page, 'dashboard');

    await page.getByRole('link', { name: 'Containers', exact: true }).click();
    await page.getByRole('link', { name: 'Create container' }).click();
    const port = await freePort();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Image').fill(TEST_IMAGE);
    await page
      .getByLabel('Command', { exact: true })
      .fill(`sh -c 'echo "greeting is $GREETING"; sleep 600'`);
    await page.getByLabel('Environment variables').fill('GREETING=hello');
    await openSection(page, 'Ports');
    await page.getByRole('button', { name: 'Add port' }).click();
    await page.getByLabel('Host port').fill(String(port));
    await page.getByLabel('Container port').fill('80');
    await page
      .getByTestId('docker-command')
      .filter({ hasText: `--publish ${port}:80` })
      .waitFor();
    await screenshot(page, 'create-container');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByTestId('validation').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('validation').textContent()).toContain('started');
    await page.getByRole('link', { name: `Open ${name}` }).click();
    await page.getByTestId('container-state').filter({ hasText: 'running' }).waitFor();
    await screenshot(page, 'container');

    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByTestId('logs').filter({ hasText: 'greeting is hello' }).waitFor();
    const exec = await api(page, 'POST', `/api/hosts/local/containers/${name}/exec`, {
      command: ['sh', '-c', 'echo printed-after-opening > /proc/1/fd/1'],
    });
    expect(exec.status).toBe(200);
    await page.getByTestId('logs').filter({ hasText: 'printed-after-opening' }).waitFor();

    await page.getByRole('tab', { name: 'Terminal' }).click();
    await page.getByTestId('terminal-status').filter({ hasText: 'connected' }).waitFor();
    await page.getByTestId('terminal').click();
    await page.keyboard.type('echo term-$((6*7))');
    await page.keyboard.press('Enter');
    await page.getByTestId('terminal').filter({ hasText: 'term-42' }).waitFor();
    await screenshot(page, 'terminal');

    await page.getByRole('tab', { name: 'Stats' }).click();
    await page.locator('[data-testid="stats"][data-samples="3"]').waitFor({ timeout: 20_000 });

    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: `Edit ${name}` }).waitFor();
    expect(await page.getByLabel('Environment variables').inputValue()).toBe('GREETING=hello');
    expect(await page.getByLabel('Host port').inputValue()).toBe(String(port));
    await page.getByLabel('Environment variables').fill('GREETING=changed');
    await page.getByTestId('docker-command').filter({ hasText: 'GREETING=changed' }).waitFor();
    await screenshot(page, 'edit-container');
    await page.getByRole('button', { name: 'Save and recreate' }).click();
    await page
      .getByTestId('validation')
      .filter({ hasText: 'started' })
      .waitFor({ timeout: 30_000 });
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByTestId('logs').filter({ hasText: 'greeting is changed' }).waitFor();
    await page.getByRole('tab', { name: 'Overview' }).click();

    await page.getByRole('button', { name: 'Stop' }).click();
    await page
      .getByTestId('container-state')
      .filter({ hasText: 'exited' })
      .waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('heading', { name: 'Containers' }).waitFor();
    await page.getByRole('link', { name, exact: true }).waitFor({ state: 'detached' });
    await screenshot(page, 'containers');
    await context.close();
  }, 150_000);

  it('shows a viewer no mutating controls, and the server refuses a forged request', async () => {
    const admin = await newPage();
    await setupAndLogin(admin.page);
    await createUser(admin.page, {
      username: 'watcher',
      password: 'watcher password 1',
      role: 'viewer',
    });
    const created = await api(admin.page, 'POST', '/api/hosts/local/containers', {
      name: `ui-seen-${suffix}`,
      image: TEST_IMAGE,
      command: ['sleep', '600'],
      validateSeconds: 0,
      stopTimeoutS: 1,
    });
    expect(created.status).toBe(201);

    const { context, page } = await newPage();
    await login(page, 'watcher', 'watcher password 1');
    await page.getByRole('link', { name: 'Containers', exact: true }).click();
    await page.getByRole('link', { name: `ui-seen-${suffix}`, exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Create container' }).count()).toBe(0);
    expect(
      await page.getByRole('table', { name: 'Containers' }).getByRole('checkbox').count(),
    ).toBe(0);
    await page.getByRole('link', { name: `ui-seen-${suffix}`, exact: true }).click();
    await page.getByTestId('container-state').waitFor();
    expect(await page.getByRole('button', { name: 'Stop' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByRole('tab', { name: 'Terminal' }).count()).toBe(0);
    const forged = await api(page, 'POST', `/api/hosts/local/containers/ui-seen-${suffix}/stop`);
    expect(forged.status).toBe(403);
    await api(admin.page, 'DELETE', `/api/hosts/local/containers/ui-seen-${suffix}?force=true`);
    await context.close();
    await admin.context.close();
  });

  it('pulls an image from a registry with progress, creates a network with a suggested subnet, backs up and restores a volume', async () => {
    const registry = await startTestRegistry();
    const { context, page } = await newPage();
    try {
      await setupAndLogin(page);
      const ref = `${registry.host}/ui/app:1`;
      expect(
        (
          await api(page, 'POST', `/api/hosts/local/images/${encodeURIComponent(TEST_IMAGE)}/tag`, {
            repository: `${registry.host}/ui/app`,
            tag: '1',
          })
        ).status,
      ).toBe(200);
      expect(
        (
          (await api(page, 'POST', '/api/hosts/local/images/push', { image: ref })).json as {
            status: string;
          }
        ).status,
      ).toBe('done');
      expect(
        (await api(page, 'DELETE', `/api/hosts/local/images/${encodeURIComponent(ref)}`)).status,
      ).toBe(200);

      await page.getByRole('link', { name: 'Images', exact: true }).click();
      const pull = await openHeaderDialog(page, 'Pull image');
      await pull.getByLabel('Image', { exact: true }).fill(ref);
      await pull.getByRole('button', { name: 'Pull', exact: true }).click();
      await pull
        .getByTestId('pull-result')
        .filter({ hasText: 'done' })
        .waitFor({ timeout: 30_000 });
      expect(await pull.getByTestId('pull-progress').textContent()).toContain('done');
      await screenshot(page, 'images');
      await closeDialog(pull);
      await imageRow(page, ref).waitFor();

      await page.getByRole('link', { name: 'Networks', exact: true }).click();
      await page.getByRole('button', { name: 'Create network' }).click();
      const create = page.getByRole('dialog', { name: 'Create network' });
      await create.getByLabel('Network name').fill(`ui-net-${suffix}`);
      await create.getByRole('button', { name: 'Suggest subnet' }).click();
      for (
        let i = 0;
        i < 100 && !(await create.getByLabel('Subnet').inputValue()).includes('/');
        i += 1
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await create.getByRole('button', { name: 'Create network' }).click();
      await page
        .getByTestId('docker-command')
        .filter({ hasText: `ui-net-${suffix}` })
        .waitFor();
      await page
        .getByTestId('topology')
        .filter({ hasText: `ui-net-${suffix}` })
        .waitFor();
      await page.getByRole('button', { name: `Actions for ui-net-${suffix}`, exact: true }).click();
      await page.getByRole('menuitem', { name: 'Details', exact: true }).click();
      const netPanel = page.getByRole('dialog', { name: `Network ui-net-${suffix}` });
      await netPanel.getByLabel('Reserve for (purpose)').fill('database');
      await netPanel.getByRole('button', { name: 'Reserve next free address' }).click();
      await netPanel.getByText(/reserved for database/).waitFor();
      await screenshot(page, 'networks');
      await netPanel.getByRole('button', { name: 'Close' }).click();

      const volume = `ui-vol-${suffix}`;
      expect((await api(page, 'POST', '/api/hosts/local/volumes', { name: volume })).status).toBe(
        201,
      );
      const writer = await api(page, 'POST', '/api/hosts/local/containers', {
        image: TEST_IMAGE,
        command: ['sh', '-c', 'echo kept > /data/file.txt'],
        mounts: [{ type: 'volume', source: volume, target: '/data' }],
        validateSeconds: 2,
      });
      expect(writer.status).toBe(201);
      await page.getByRole('link', { name: 'Volumes', exact: true }).click();
      const openPanel = async (name: string, item: string, title: string) => {
        await page.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
        await page.getByRole('menuitem', { name: item, exact: true }).click();
        return page.getByRole('dialog', { name: `${title} ${name}` });
      };
      const card = await openPanel(volume, 'Backups', 'Backups of');
      await card.getByRole('button', { name: 'Back up now' }).click();
      await page
        .getByTestId(`backup-status-${volume}`)
        .filter({ hasText: 'Backed up 1 files' })
        .waitFor({ timeout: 30_000 });
      await card.getByRole('button', { name: 'Restore into a new volume' }).click();
      await page
        .getByTestId(`backup-status-${volume}`)
        .filter({ hasText: 'Restored 1 files' })
        .waitFor({ timeout: 30_000 });
      await card.getByRole('button', { name: 'Close' }).click();
      const files = await openPanel(volume, 'Browse files', 'Files of');
      await files.getByText('file.txt').waitFor();
      await screenshot(page, 'volumes');
    } finally {
      await context.close();
      await registry.stop();
    }
  });
  it('shows the audit log and users to an admin, jumps anywhere with Ctrl-K, and fits a phone', async () => {
    const { context, page } = await newPage();
    await setupAndLogin(page);
    const target = `ui-jump-${suffix}`;
    expect(
      (
        await api(page, 'POST', '/api/hosts/local/containers', {
          name: target,
          image: TEST_IMAGE,
          autoStart: false,
        })
      ).status,
    ).toBe(201);
    const tagged = await api(page, 'PUT', `/api/hosts/local/containers/${target}/environment`, {
      environment: 'staging',
    });
    expect(tagged.status, JSON.stringify(tagged.json)).toBe(200);
    await page.getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByTestId('audit').filter({ hasText: 'container.create' }).waitFor();
    // A real table: its columns are named, and a container target reads by its name, then its id.
    const headers = await page.getByTestId('audit').getByRole('columnheader').allTextContents();
    expect(headers).toEqual(['Time', 'User', 'Action', 'Target', 'Outcome', 'Details']);
    const created = page
      .getByTestId('audit')
      .getByRole('row')
      .filter({ hasText: 'container.environment' })
      .filter({ hasText: target });
    await created.first().waitFor();
    expect(await created.first().getByRole('cell').nth(3).textContent()).toMatch(
      new RegExp(`^local/${target} [0-9a-f]{12}$`),
    );
    await page.getByRole('combobox', { name: 'Role of watcher' }).waitFor();
    await screenshot(page, 'admin');

    // The filter narrows the page and its exports alike.
    await page.getByLabel('Filter by action').fill('container.');
    const audit = page.getByTestId('audit');
    await audit.filter({ hasText: 'container.create', hasNotText: 'auth.login' }).waitFor();
    const href = await page.getByRole('link', { name: 'CSV' }).getAttribute('href');
    const csv = await page.evaluate(async (url) => (url ? (await fetch(url)).text() : ''), href);
    expect(csv).toContain('container.create');
    expect(csv).not.toContain('auth.login');
    await page.getByLabel('Filter by action').fill('');

    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Go to' }).fill(target);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: target }).waitFor();

    await page.setViewportSize({ width: 375, height: 800 });
    // On a phone the navigation is in the drawer behind the menu button.
    await page.getByRole('button', { name: 'Open navigation' }).click();
    await page.getByRole('link', { name: 'Containers', exact: true }).click();
    await page.getByRole('link', { name: target, exact: true }).waitFor();
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - window.innerWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'containers-phone');
    await api(page, 'DELETE', `/api/hosts/local/containers/${target}?force=true`);
    await context.close();
  });

  it('logs in with a second factor', async () => {
    const { context, page } = await newPage();
    await setupAndLogin(page);
    const setup = (await api(page, 'POST', '/api/me/2fa/setup')).json as { secret: string };
    expect(
      (await api(page, 'POST', '/api/me/2fa/enable', { code: totpCode(setup.secret, Date.now()) }))
        .status,
    ).toBe(200);
    await context.close();

    const fresh = await newPage();
    await fresh.page.goto(`${base}/login`);
    await fresh.page.getByLabel('Username').fill(ADMIN.username);
    await fresh.page.getByLabel('Password').fill(ADMIN.password);
    await fresh.page.getByRole('button', { name: 'Log in' }).click();
    await fresh.page.getByLabel('Authenticator code').waitFor();
    // A code from the next time step: the one used to enable 2FA cannot be used again.
    await fresh.page
      .getByLabel('Authenticator code')
      .fill(totpCode(setup.secret, Date.now() + 30_000));
    await fresh.page.getByRole('button', { name: 'Verify' }).click();
    await fresh.page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await fresh.context.close();
  });
});
