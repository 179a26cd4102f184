import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIsolatedEngine, type IsolatedEngine } from '../scripts/lib/isolated-engine.mjs';
import { buildTestImages } from '../scripts/lib/test-images.mjs';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { api, navigate, screenshot, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/** Networks (prune, remove, connect, disconnect, the document) and volume details in Chromium. */
const suffix = Math.random().toString(16).slice(2, 8);
const removable = `uinet-rm-${suffix}`;
const joined = `uinet-join-${suffix}`;
const ctr = `uinet-ctr-${suffix}`;
const volume = `uinet-vol-${suffix}`;

let ui: UiHarness;
// A real network prune runs here: on an engine of this file's own, so that it cannot take the
// networks of the suites running beside it.
let engine: IsolatedEngine;

beforeAll(async () => {
  engine = await startIsolatedEngine({ bridge: false, quiet: true });
  await buildTestImages(engine.socketPath);
  ui = await startUi({ dockerHost: engine.host });
}, 180_000);

afterAll(async () => {
  await ui.stop();
  await engine.stop();
});

const card = (page: Page, title: string) =>
  page
    .locator('section.card')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) });

describe('networks and volumes in Chromium', () => {
  it('connects via the picker, asks before disconnecting, removes, previews and prunes', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    for (const name of [removable, joined]) {
      const made = await api(page, 'POST', '/api/hosts/local/networks', { name });
      expect(made.status, JSON.stringify(made.json)).toBe(201);
    }
    const made = await api(page, 'POST', '/api/hosts/local/containers', {
      name: ctr,
      image: TEST_IMAGE,
      command: ['sleep', '600'],
      validateSeconds: 0,
      stopTimeoutS: 1,
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    await navigate(page, 'Networks');

    // Connect: the container is chosen from the host's containers, not typed.
    const net = card(page, joined);
    await net.getByText('Addresses and members').click();
    const picker = net.getByLabel('Container to connect');
    const option = picker.locator('option', { hasText: ctr });
    await option.waitFor({ state: 'attached' });
    await picker.selectOption(String(await option.getAttribute('value')));
    await net.getByRole('button', { name: 'Connect', exact: true }).click();
    const disconnect = net.getByRole('button', { name: `Disconnect ${ctr} from ${joined}` });
    await disconnect.waitFor();

    // Removing a network in use names its containers and offers no removal.
    await net.getByRole('button', { name: `Remove network ${joined}` }).click();
    const inUse = page.getByRole('dialog', { name: 'Network in use' });
    await inUse.getByTestId('network-users').getByText(ctr).waitFor();
    expect(await inUse.getByRole('button', { name: 'Remove network' }).isDisabled()).toBe(true);
    await inUse.getByRole('button', { name: 'Cancel' }).click();

    // Disconnect asks first; cancelling keeps the member.
    await disconnect.click();
    const ask = page.getByRole('dialog', { name: 'Disconnect container?' });
    await ask.getByText(`loses its address`, { exact: false }).waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'hidden' });
    expect(await disconnect.isVisible()).toBe(true);
    await disconnect.click();
    await ask.getByRole('button', { name: 'Disconnect' }).click();
    await disconnect.waitFor({ state: 'detached' });

    // The network document renders in the page.
    await page.getByRole('button', { name: 'Show network document' }).click();
    const doc = page.getByTestId('network-document');
    await doc.getByRole('heading', { name: 'Networks on local' }).waitFor();
    await doc.getByRole('heading', { name: `Network ${joined}` }).waitFor();
    await doc.getByRole('cell', { name: removable, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Hide network document' }).click();

    // Remove an unused network.
    await card(page, removable)
      .getByRole('button', { name: `Remove network ${removable}` })
      .click();
    const remove = page.getByRole('dialog', { name: 'Remove network?' });
    await remove.getByText('has no containers').waitFor();
    await remove.getByRole('button', { name: 'Remove network' }).click();
    await page.getByTestId('networks-outcome').getByText(`Removed network ${removable}`).waitFor();
    await card(page, removable).waitFor({ state: 'detached' });

    // Prune: the dry run lists what would go, then the prune removes exactly that.
    await page.getByRole('button', { name: 'Prune unused networks…' }).click();
    const prune = page.getByRole('dialog', { name: 'Prune unused networks?' });
    const preview = prune.getByTestId('network-prune-preview');
    await preview.getByText(joined, { exact: true }).waitFor();
    // The page behind a modal dialog is hidden from the accessibility tree: find the card by
    // its markup while the preview is open.
    const joinedCard = page
      .locator('section.card')
      .filter({ has: page.locator('h2', { hasText: new RegExp(`^${joined}$`) }) });
    expect(await joinedCard.count()).toBe(1);
    await screenshot(page, 'networks-prune-preview');
    await prune.getByRole('button', { name: 'Prune networks' }).click();
    await page.getByTestId('networks-outcome').getByText(joined, { exact: false }).waitFor();
    await card(page, joined).waitFor({ state: 'detached' });
    await page.getByTestId('topology').waitFor();
    await screenshot(page, 'networks');
    await context.close();
  });

  it('shows a volume’s driver, size, mountpoint, labels and the containers using it', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    const made = await api(page, 'POST', '/api/hosts/local/volumes', {
      name: volume,
      labels: { team: 'ops' },
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const user = `${volume}-user`;
    const created = await api(page, 'POST', '/api/hosts/local/containers', {
      name: user,
      image: TEST_IMAGE,
      command: ['sleep', '600'],
      mounts: [{ type: 'volume', source: volume, target: '/data' }],
      validateSeconds: 0,
      stopTimeoutS: 1,
    });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    await navigate(page, 'Volumes');
    const details = page.getByTestId(`volume-details-${volume}`);
    await details.getByText('team=ops').waitFor();
    await details.getByText(`/volumes/${volume}/_data`, { exact: false }).waitFor();
    await details.getByText('local', { exact: true }).waitFor();
    await details.getByText(user, { exact: false }).waitFor();
    await details.getByText('/data', { exact: true }).waitFor();
    await details.getByText(/^\d+(\.\d+)? (B|KB|kB|KiB)$/).waitFor();
    await screenshot(page, 'volumes-details');
    await api(page, 'DELETE', `/api/hosts/local/containers/${user}?force=true`);
    await context.close();
  });
});
