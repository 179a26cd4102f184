import type { HostSecurityView } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import {
  api,
  createUser,
  login,
  openSection,
  screenshot,
  setupAndLogin,
  startUi,
  type UiHarness,
} from './ui-harness.js';

/** The host security settings in Chromium: an admin sets them, an operator meets them. */
const suffix = Math.random().toString(16).slice(2, 8);
const OPERATOR = {
  username: `hostsec-op-${suffix}`,
  password: 'an operator password',
  role: 'operator' as const,
};
let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi();
}, 120_000);
afterAll(async () => {
  await ui.stop();
});

describe('host security', () => {
  it('lets an admin allow paths and namespaces for a host, naming a bad path under its field', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await page.goto('/admin');
    const card = page.locator('section, div').filter({
      has: page.getByRole('heading', { name: 'Host security' }),
    });
    const paths = page.getByLabel('Bind mounts: allowed host paths');
    await paths.fill('relative/path');
    await page.getByRole('button', { name: 'Save host security' }).click();
    await card.getByText('must be an absolute host path').first().waitFor();
    await paths.fill('/srv/berth-ui');
    await page.getByLabel('PID', { exact: true }).check();
    await page.getByRole('button', { name: 'Save host security' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await page.getByText('Last changed by admin').waitFor();
    await screenshot(page, 'admin-host-security');
    const saved = (await api(page, 'GET', '/api/hosts/local/security')).json as HostSecurityView;
    expect(saved.settings).toMatchObject({
      bindMounts: ['/srv/berth-ui'],
      hostNamespaces: ['pid'],
    });
    await createUser(page, OPERATOR);
    await context.close();
  });

  it("shows an operator the host's refusal under the field it is about, creating nothing", async () => {
    const { context, page } = await ui.newPage();
    await login(page, OPERATOR.username, OPERATOR.password);
    const name = `hostsec-root-${suffix}`;
    await page.goto('/containers/new');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Image').fill(TEST_IMAGE);
    await openSection(page, 'Volumes and mounts');
    await page.getByRole('button', { name: 'Add mount' }).click();
    await page.getByLabel('Type').selectOption('bind');
    await page.getByLabel('Host path').fill('/');
    await page.getByLabel('Path in container').fill('/host');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const field = page.locator('.field', { has: page.getByLabel('Host path') });
    await field
      .getByText(
        'The bind mount of / is not allowed: host setting "bindMounts" allows only paths under /srv/berth-ui',
      )
      .waitFor();
    await screenshot(page, 'create-container-host-policy');
    expect((await api(page, 'GET', `/api/hosts/local/containers/${name}`)).status).toBe(404);
    await context.close();
  });
});
