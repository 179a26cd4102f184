import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSwarmEngine,
  type SwarmEngine,
  SWARM_SETUP_TIMEOUT,
} from '../packages/server/src/testing/swarm-engine.js';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { audit, openAllDetails } from './ui-axe.js';
import { api, navigate, screenshot, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/** Services, a service's page, secrets and the visualizer, on a swarm engine of the file's own. */
let ui: UiHarness;
let swarm: SwarmEngine;
const SECRET = 'ui-secret-value-never-shown';

/**
 * Creates through the page's session. Chromium aborts a request in flight when a network
 * interface comes or goes (the test engines add bridges all the time): after such an abort the
 * object is looked up, and created again only if the first attempt did not make it.
 */
async function create(
  page: Page,
  kind: 'services' | 'secrets',
  body: { name: string } & Record<string, unknown>,
) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const made = await api(page, 'POST', `/api/hosts/local/${kind}`, body);
      expect(made.status, JSON.stringify(made.json)).toBe(201);
      return;
    } catch (err) {
      if (attempt >= 4 || !/Failed to fetch|NETWORK_CHANGED/.test(String(err))) throw err;
      const found = await api(page, 'GET', `/api/hosts/local/${kind}/${body.name}`);
      if (found.status === 200) return;
    }
  }
}

beforeAll(async () => {
  swarm = await startSwarmEngine();
  ui = await startUi({ dockerHost: swarm.engine.host });
}, SWARM_SETUP_TIMEOUT);

afterAll(async () => {
  await ui.stop();
  await swarm.stop();
});

describe('swarm services in Chromium', () => {
  it('lists, scales, follows logs, keeps secrets secret and shows tasks per node', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await create(page, 'secrets', { name: 'api_key', value: SECRET });
    await create(page, 'services', {
      name: 'web',
      image: TEST_IMAGE,
      replicas: 2,
      command: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo "line $i"; sleep 1; done'],
      stopGracePeriod: '1s',
      ports: [{ target: 8080, published: 18080 }],
      labels: { 'com.docker.stack.namespace': 'shop' },
      secrets: [{ name: 'api_key' }],
    });

    await navigate(page, 'Services');
    const row = page.getByTestId('service-list').locator('tr[data-name="web"]');
    await row.getByText('2/2').waitFor({ timeout: 60_000 });
    await expect.poll(() => row.textContent()).toContain('18080→8080/tcp');
    await screenshot(page, 'swarm-services-list');
    expect(await audit(page, 'services list')).toEqual([]);

    // Scale from the row's menu: the list follows the events stream to 3/3.
    await page.getByRole('button', { name: 'Actions for web', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Scale…' }).click();
    await page.getByLabel('Replicas').fill('3');
    await page.getByRole('button', { name: 'Scale', exact: true }).click();
    await page.getByTestId('services-outcome').getByText('docker service scale web=3').waitFor();
    await row.getByText('3/3').waitFor({ timeout: 60_000 });

    await row.getByRole('link', { name: 'web' }).click();
    await page.getByRole('heading', { name: 'Service web' }).waitFor();
    await expect
      .poll(
        () => page.getByTestId('task-row').and(page.locator('[data-state="running"]')).count(),
        {
          timeout: 60_000,
        },
      )
      .toBe(3);
    await screenshot(page, 'swarm-service-tasks');
    expect(await audit(page, 'service page')).toEqual([]);
    await page.getByRole('tab', { name: 'Logs' }).click();
    await expect
      .poll(() => page.getByTestId('service-logs').textContent(), { timeout: 30_000 })
      .toMatch(/line \d+/);
    const before = (await page.getByTestId('service-logs').locator('div').count()) + 1;
    await expect
      .poll(() => page.getByTestId('service-logs').locator('div').count(), { timeout: 30_000 })
      .toBeGreaterThan(before);
    await page.getByRole('button', { name: 'Update', exact: true }).click();
    await openAllDetails(page);
    await screenshot(page, 'swarm-service-update');
    expect(await audit(page, 'update dialog')).toEqual([]);
    await page.keyboard.press('Escape');

    await navigate(page, 'Secrets & configs');
    const secretRow = page.locator('tr[data-name="api_key"]');
    await secretRow.getByText('web').waitFor();
    await page.getByRole('button', { name: 'Create secret' }).click();
    await screenshot(page, 'swarm-secret-create');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Actions for api_key', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Remove…' }).click();
    await page.getByText('In use by web').waitFor();
    expect(await page.getByRole('button', { name: 'Remove', exact: true }).isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await screenshot(page, 'swarm-secrets');
    expect(await audit(page, 'secrets page')).toEqual([]);
    expect(await page.content()).not.toContain(SECRET);

    await navigate(page, 'Visualizer');
    const node = page.getByTestId('viz-node');
    await expect.poll(() => node.count()).toBe(1);
    // The column is the swarm's node, with its role and status, not only where tasks are.
    await node.getByText('manager').waitFor();
    await node.getByText('ready', { exact: true }).waitFor();
    await expect.poll(() => node.getByTestId('viz-task').count(), { timeout: 30_000 }).toBe(3);
    await page.getByLabel('Service or stack').selectOption({ label: 'stack shop' });
    await expect.poll(() => node.getByTestId('viz-task').count()).toBe(3);
    await screenshot(page, 'swarm-visualizer');
    expect(await audit(page, 'visualizer')).toEqual([]);
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'swarm-visualizer-375');
    await page.goto('/hosts/local/services');
    await page.getByTestId('service-list').locator('tr[data-name="web"]').waitFor();
    await screenshot(page, 'swarm-services-list-375');
    await page.setViewportSize({ width: 1280, height: 860 });

    // Several at once: each removed on its own, the outcome names them.
    await create(page, 'services', {
      name: 'worker',
      image: TEST_IMAGE,
      command: ['sleep', '3600'],
    });
    await page.getByTestId('service-list').locator('tr[data-name="worker"]').waitFor();
    await page.getByLabel('Select every service shown').check();
    await page.getByRole('button', { name: 'Remove 2 selected' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByTestId('services-outcome').getByText('Removed web, worker.').waitFor();
    await page.getByText('No services.').waitFor();
    await context.close();
  }, 300_000);
});
