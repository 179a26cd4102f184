import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../packages/server/src/testing/free-port.js';
import {
  startSwarmEngine,
  type SwarmEngine,
  SWARM_SETUP_TIMEOUT,
} from '../packages/server/src/testing/swarm-engine.js';
import { audit } from './ui-axe.js';
import {
  createUser,
  login,
  screenshot,
  setupAndLogin,
  startUi,
  type UiHarness,
} from './ui-harness.js';

/** The Swarm cluster page against a Berth whose engine is a one-node swarm of this file's own. */
let swarm: SwarmEngine;
let ui: UiHarness;

beforeAll(async () => {
  swarm = await startSwarmEngine();
  ui = await startUi({ dockerHost: swarm.engine.host });
}, SWARM_SETUP_TIMEOUT);

afterAll(async () => {
  await ui?.stop();
  await swarm?.stop();
});

async function nodeAction(page: Page, hostname: string, item: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${hostname}`, exact: true }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

const outcome = (page: Page) => page.getByTestId('swarm-outcome');

/** The page's own stylesheet applied (it loads beside its script): what a screenshot shows. */
async function styled(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(
        `getComputedStyle(document.querySelector('.swarm-nodes')).position === 'relative'`,
      ),
    )
    .toBe(true);
}

describe('the swarm cluster page in Chromium', () => {
  it('shows the cluster and quorum, reveals and rotates tokens, changes a node, leaves and inits', async () => {
    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      await page.getByRole('link', { name: 'Cluster', exact: true }).click();
      await page.getByRole('heading', { name: 'Swarm cluster' }).waitFor();
      await expect
        .poll(() => page.getByTestId('quorum-warning').textContent())
        .toMatch(/single manager/);
      const facts = page.getByTestId('swarm-facts');
      await expect.poll(() => facts.textContent()).toMatch(/this host is a manager/);
      expect(await facts.textContent()).toMatch(/1 \(1 manager\)/);

      // Masked until revealed; then the join command, ready to copy.
      expect(await page.getByTestId('token-worker').textContent()).toMatch(/•/);
      await page.getByRole('button', { name: 'Reveal', exact: true }).click();
      await expect
        .poll(() => page.getByTestId('token-worker').textContent())
        .toMatch(/^SWMTKN-1-[a-z0-9]+-[a-z0-9]+$/);
      const worker = (await page.getByTestId('token-worker').textContent()) ?? '';
      expect(await page.getByTestId('join-command-worker').textContent()).toBe(
        `docker swarm join --token ${worker} ${swarm.managerAddr}`,
      );

      const rows = page.getByTestId('node-row');
      await expect.poll(() => rows.count()).toBe(1);
      const hostname = (await rows.first().getAttribute('data-hostname')) ?? '';
      await styled(page);
      await screenshot(page, 'swarm-cluster-1280');
      await page.setViewportSize({ width: 375, height: 800 });
      await screenshot(page, 'swarm-cluster-375');
      await page.setViewportSize({ width: 1280, height: 860 });
      expect(await audit(page, 'swarm cluster page')).toEqual([]);

      await page.getByRole('button', { name: 'Rotate…' }).first().click();
      await page.getByRole('button', { name: 'Rotate token', exact: true }).click();
      await expect
        .poll(() => outcome(page).textContent())
        .toMatch(/docker swarm join-token --rotate worker/);
      await expect.poll(() => page.getByTestId('token-worker').textContent()).not.toBe(worker);

      await nodeAction(page, hostname, 'Drain');
      await expect
        .poll(() => outcome(page).textContent())
        .toContain(`docker node update --availability drain ${hostname}`);
      await expect.poll(() => rows.first().textContent()).toMatch(/drain/);
      await nodeAction(page, hostname, 'Activate');
      await expect.poll(() => rows.first().textContent()).toMatch(/active/);

      // A change made outside Berth (docker node update on the manager) shows without a reload.
      const raw = await swarm.client.request<{
        Version: { Index: number };
        Spec: Record<string, unknown>;
      }>('GET', `/nodes/${swarm.nodeId}`);
      await swarm.client.request('POST', `/nodes/${swarm.nodeId}/update`, {
        query: { version: raw.Version.Index },
        body: { ...raw.Spec, Availability: 'pause' },
      });
      await expect.poll(() => rows.first().textContent()).toMatch(/pause/);
      await nodeAction(page, hostname, 'Activate');
      await expect.poll(() => rows.first().textContent()).toMatch(/active/);

      await nodeAction(page, hostname, 'Edit labels…');
      await page.getByLabel('Labels, one key=value a line').fill('zone=a\ndisk=ssd');
      await page.getByRole('button', { name: 'Save labels', exact: true }).click();
      await expect.poll(() => page.getByTestId('node-labels').textContent()).toBe('disk=ssdzone=a');
      await expect
        .poll(() => outcome(page).textContent())
        .toMatch(/--label-add zone=a --label-add disk=ssd/);

      // The confirm says what leaving the only manager does.
      await page.getByRole('button', { name: 'Leave swarm…' }).click();
      const dialog = page.getByRole('dialog');
      expect(await dialog.textContent()).toMatch(/only manager\. Leaving ends the swarm/);
      await screenshot(page, 'swarm-leave-confirm');
      await dialog.getByRole('button', { name: 'Leave and end the swarm' }).click();
      await page.getByTestId('swarm-inactive').waitFor();
      await expect.poll(() => outcome(page).textContent()).toMatch(/docker swarm leave --force/);
      await screenshot(page, 'swarm-inactive');
      expect(await audit(page, 'swarm page, no swarm')).toEqual([]);

      // A bad address is named under its field; then a new swarm.
      const form = page.getByTestId('swarm-init');
      await form.getByLabel('Advertise address').fill('not an address');
      await form.getByRole('button', { name: 'Create swarm' }).click();
      await expect.poll(() => form.getByRole('alert').first().textContent()).toMatch(/address/);
      const addr = `127.0.0.1:${await freePort()}`;
      await form.getByLabel('Advertise address').fill(addr);
      await form.getByLabel('Listen address').fill(addr);
      await form.getByRole('button', { name: 'Create swarm' }).click();
      await expect
        .poll(() => outcome(page).textContent())
        .toContain(`docker swarm init --advertise-addr ${addr} --listen-addr ${addr}`);
      await expect.poll(() => rows.count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('shows a viewer the cluster and nodes, without tokens or actions', async () => {
    const admin = await ui.newPage();
    await setupAndLogin(admin.page);
    await createUser(admin.page, {
      username: 'swarm-viewer',
      password: 'a viewer password',
      role: 'viewer',
    });
    await admin.context.close();
    const { context, page } = await ui.newPage();
    try {
      await login(page, 'swarm-viewer', 'a viewer password');
      await page.getByRole('link', { name: 'Cluster', exact: true }).click();
      await page.getByRole('heading', { name: 'Swarm cluster' }).waitFor();
      await expect.poll(() => page.getByTestId('node-row').count()).toBe(1);
      await styled(page);
      expect(await page.getByTestId('join-tokens').count()).toBe(0);
      expect(await page.getByRole('button', { name: /Actions for/ }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Leave swarm…' }).count()).toBe(0);
      await page.setViewportSize({ width: 375, height: 800 });
      await screenshot(page, 'swarm-cluster-viewer-375');
    } finally {
      await context.close();
    }
  });
});
