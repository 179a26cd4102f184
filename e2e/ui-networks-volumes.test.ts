import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIsolatedEngine, type IsolatedEngine } from '../scripts/lib/isolated-engine.mjs';
import { buildTestImages } from '../scripts/lib/test-images.mjs';
import { EngineClient } from '../packages/server/src/docker/engine-client.js';
import { parseDockerHost } from '../packages/server/src/docker/engine-endpoint.js';
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

/** A network's or volume's row in its list. */
const row = (page: Page, list: 'network-list' | 'volume-list', name: string) =>
  page.getByTestId(list).locator(`tr[data-name="${name}"]`);

/** Opens a row's menu and picks one of its items. */
async function rowAction(page: Page, name: string, item: string): Promise<void> {
  await page.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
}

/** The labels of the topology whose boxes intersect, as "a ⨯ b" (none when the layout is right). */
const OVERLAPS = `(() => {
  const boxes = [...document.querySelectorAll('[data-testid=topology] text')].map((el) => ({
    text: el.textContent,
    box: el.getBoundingClientRect(),
  }));
  const hits = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => {
    const x = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
    const y = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
    if (x > 0.5 && y > 0.5) hits.push(a.text + ' ⨯ ' + b.text);
  }));
  return { count: boxes.length, hits };
})()`;

describe('networks and volumes in Chromium', () => {
  it('searches and filters, connects via the picker, asks before disconnecting, removes, previews and prunes', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    // Ranges of their own: the engine's default pools are shared with every engine on the machine.
    const octet = 100 + Math.floor(Math.random() * 100);
    for (const [i, name] of [removable, joined].entries()) {
      const made = await api(page, 'POST', '/api/hosts/local/networks', {
        name,
        subnet: `10.${octet}.${200 + i}.0/24`,
      });
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
    await row(page, 'network-list', joined).waitFor();

    // The search box narrows the list to what matches; the built-in filter to the engine's own.
    const search = page.getByRole('searchbox', { name: 'Search networks' });
    await search.fill(joined);
    await row(page, 'network-list', removable).waitFor({ state: 'detached' });
    expect(await page.getByTestId('network-row').count()).toBe(1);
    await search.fill('no-such-network-anywhere');
    await page.getByTestId('network-list').getByText('No network matches').waitFor();
    await search.fill('');
    await page.getByLabel('Built-in or user').selectOption('builtin');
    await row(page, 'network-list', joined).waitFor({ state: 'detached' });
    await row(page, 'network-list', 'host').waitFor();
    await page.getByLabel('Built-in or user').selectOption('user');
    await row(page, 'network-list', 'host').waitFor({ state: 'detached' });
    await row(page, 'network-list', removable).waitFor();
    await page.getByLabel('Built-in or user').selectOption('');

    // Connect: the container is chosen from the host's containers, not typed.
    await rowAction(page, joined, 'Connect a container…');
    const connect = page.getByRole('dialog', { name: `Connect a container to ${joined}` });
    const picker = connect.getByLabel('Container to connect');
    const option = picker.locator('option', { hasText: ctr });
    await option.waitFor({ state: 'attached' });
    await picker.selectOption(String(await option.getAttribute('value')));
    await connect.getByRole('button', { name: 'Connect', exact: true }).click();
    await connect
      .getByRole('status')
      .filter({ hasText: `Connected ${ctr} to ${joined}` })
      .waitFor();
    await connect.getByRole('button', { name: 'Close' }).click();
    await row(page, 'network-list', joined).getByRole('cell', { name: '1', exact: true }).waitFor();

    // In use and unused.
    await page.getByLabel('In use').selectOption('unused');
    await row(page, 'network-list', joined).waitFor({ state: 'detached' });
    await row(page, 'network-list', removable).waitFor();
    await page.getByLabel('In use').selectOption('used');
    await row(page, 'network-list', removable).waitFor({ state: 'detached' });
    await row(page, 'network-list', joined).waitFor();
    await page.getByLabel('In use').selectOption('');

    await rowAction(page, joined, 'Details');
    const details = page.getByRole('dialog', { name: `Network ${joined}` });
    const disconnect = details.getByRole('button', { name: `Disconnect ${ctr} from ${joined}` });
    await disconnect.waitFor();
    await screenshot(page, 'networks-details');
    await details.getByRole('button', { name: 'Close' }).click();

    // Removing a network in use names its containers and offers no removal.
    await rowAction(page, joined, 'Remove…');
    const inUse = page.getByRole('dialog', { name: 'Network in use' });
    await inUse.getByTestId('network-users').getByText(ctr).waitFor();
    expect(await inUse.getByRole('button', { name: 'Remove network' }).isDisabled()).toBe(true);
    await inUse.getByRole('button', { name: 'Cancel' }).click();

    // Disconnect asks first; cancelling keeps the member.
    await rowAction(page, joined, 'Details');
    await disconnect.click();
    const ask = page.getByRole('dialog', { name: 'Disconnect container?' });
    await ask.getByText(`loses its address`, { exact: false }).waitFor();
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await ask.waitFor({ state: 'hidden' });
    expect(await disconnect.isVisible()).toBe(true);
    await disconnect.click();
    await ask.getByRole('button', { name: 'Disconnect' }).click();
    await disconnect.waitFor({ state: 'detached' });
    await details.getByRole('button', { name: 'Close' }).click();

    // The network document renders in the page, whole or at one network's section.
    await page.getByRole('button', { name: 'Network document' }).click();
    const docPanel = page.getByRole('dialog', { name: 'Network document' });
    const doc = docPanel.getByTestId('network-document');
    await doc.getByRole('heading', { name: 'Networks on local' }).waitFor();
    await doc.getByRole('heading', { name: `Network ${joined}` }).waitFor();
    await doc.getByRole('cell', { name: removable, exact: true }).waitFor();
    await docPanel.getByRole('link', { name: 'Download Markdown' }).waitFor();
    await docPanel.getByRole('button', { name: 'Close' }).click();
    await rowAction(page, removable, 'Document');
    await doc.getByRole('heading', { name: `Network ${removable}` }).waitFor();
    await docPanel.getByRole('button', { name: 'Close' }).click();

    // Remove an unused network.
    await rowAction(page, removable, 'Remove…');
    const remove = page.getByRole('dialog', { name: 'Remove network?' });
    await remove.getByText('has no containers').waitFor();
    await remove.getByRole('button', { name: 'Remove network' }).click();
    await page.getByTestId('networks-outcome').getByText(`Removed network ${removable}`).waitFor();
    await row(page, 'network-list', removable).waitFor({ state: 'detached' });

    // Prune: the dry run lists what would go, then the prune removes exactly that.
    await page.getByRole('button', { name: 'Prune…' }).click();
    const prune = page.getByRole('dialog', { name: 'Prune unused networks?' });
    const preview = prune.getByTestId('network-prune-preview');
    await preview.getByText(joined, { exact: true }).waitFor();
    // The page behind the modal is hidden from the accessibility tree; the row is found by markup.
    expect(await row(page, 'network-list', joined).count()).toBe(1);
    await screenshot(page, 'networks-prune-preview');
    await prune.getByRole('button', { name: 'Prune networks' }).click();
    await page.getByTestId('networks-outcome').getByText(joined, { exact: false }).waitFor();
    await row(page, 'network-list', joined).waitFor({ state: 'detached' });
    await page.getByTestId('topology').waitFor();
    await screenshot(page, 'networks');
    await context.close();
  });

  it('draws the topology of a dozen containers with no two labels overlapping', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    // Made on the engine directly: Chromium aborts its own requests (ERR_NETWORK_CHANGED) while
    // the engine adds network interfaces, and the layout, not the API, is under test here.
    const docker = new EngineClient(parseDockerHost(engine.host));
    const nets = [1, 2, 3, 4, 5].map((i) => `topo-${suffix}-network-with-a-long-name-${i}`);
    // Ranges of their own: the engine's default pools are shared with every engine on the machine.
    const octet = 100 + Math.floor(Math.random() * 100);
    for (const [i, name] of nets.entries())
      await docker.request('POST', '/networks/create', {
        body: { Name: name, IPAM: { Config: [{ Subnet: `10.${octet}.${i}.0/24` }] } },
      });
    const ctrs = Array.from({ length: 12 }, (_, i) => `topo-${suffix}-container-${i}-wwwwwwwwww`);
    for (const [i, name] of ctrs.entries()) {
      // Three on no network; the others on one to three networks each.
      const networks = i < 3 ? [] : nets.slice(i % 5, (i % 5) + 1 + (i % 3));
      const created = await docker.request<{ Id: string }>('POST', '/containers/create', {
        query: { name },
        body: {
          Image: TEST_IMAGE,
          Cmd: ['sleep', '600'],
          StopTimeout: 1,
          HostConfig: { NetworkMode: networks[0] ?? 'none' },
        },
      });
      for (const net of networks.slice(1))
        await docker.request('POST', `/networks/${net}/connect`, {
          body: { Container: created.Id },
        });
      await docker.request('POST', `/containers/${created.Id}/start`);
    }
    await page.setViewportSize({ width: 1366, height: 900 });
    await navigate(page, 'Networks');
    const topology = page.getByTestId('topology');
    for (const name of ctrs)
      await topology.locator('title', { hasText: name }).waitFor({ state: 'attached' });
    const apart = topology.getByTestId('topology-no-network');
    for (const name of ctrs.slice(0, 3))
      await apart.locator('title', { hasText: name }).waitFor({ state: 'attached' });
    // Each network's row counts its members, though the engine announced the connections
    // before the containers they belong to.
    for (const [k, net] of nets.entries()) {
      const members = ctrs.filter(
        (_, i) => i >= 3 && nets.slice(i % 5, (i % 5) + 1 + (i % 3)).includes(net),
      );
      await row(page, 'network-list', net)
        .getByRole('cell', { name: String(members.length), exact: true })
        .waitFor({ timeout: 5_000 });
      expect(members.length, `network ${k}`).toBeGreaterThan(0);
    }
    const { count, hits } = await page.evaluate<{ count: number; hits: string[] }>(OVERLAPS);
    expect(count).toBeGreaterThan(12 + 5);
    expect(hits).toEqual([]);
    await topology.scrollIntoViewIfNeeded();
    await screenshot(page, 'networks-topology');
    await page.setViewportSize({ width: 375, height: 800 });
    expect((await page.evaluate<{ hits: string[] }>(OVERLAPS)).hits).toEqual([]);
    await screenshot(page, 'networks-phone');
    for (const name of ctrs)
      await api(page, 'DELETE', `/api/hosts/local/containers/${name}?force=true`);
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
    const other = `${volume}-other`;
    expect((await api(page, 'POST', '/api/hosts/local/volumes', { name: other })).status).toBe(201);
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
    const listed = row(page, 'volume-list', volume);
    await listed.getByRole('link', { name: user, exact: true }).waitFor();
    await listed.getByText(/^\d+(\.\d+)? (B|KB|kB|KiB)$/).waitFor();

    // The search box finds by name, by user and by label; the filter by use.
    const search = page.getByRole('searchbox', { name: 'Search volumes' });
    await search.fill('team=ops');
    await row(page, 'volume-list', other).waitFor({ state: 'detached' });
    expect(await page.getByTestId('volume-row').count()).toBe(1);
    await search.fill(user);
    await listed.waitFor();
    await search.fill('');
    await page.getByLabel('In use').selectOption('unused');
    await listed.waitFor({ state: 'detached' });
    await row(page, 'volume-list', other).waitFor();
    await page.getByLabel('In use').selectOption('');
    await listed.waitFor();

    await rowAction(page, volume, 'Details');
    const details = page
      .getByRole('dialog', { name: `Volume ${volume}` })
      .getByTestId(`volume-details-${volume}`);
    await details.getByText('team=ops').waitFor();
    await details.getByText(`/volumes/${volume}/_data`, { exact: false }).waitFor();
    await details.getByText('local', { exact: true }).waitFor();
    await details.getByText(user, { exact: false }).waitFor();
    await details.getByText('/data', { exact: true }).waitFor();
    await details.getByText(/^\d+(\.\d+)? (B|KB|kB|KiB)$/).waitFor();
    await screenshot(page, 'volumes-details');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'volumes-phone');
    await api(page, 'DELETE', `/api/hosts/local/containers/${user}?force=true`);
    await context.close();
  });
});
