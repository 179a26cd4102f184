import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FleetSummary } from '@berth/contract';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIsolatedEngine, type IsolatedEngine } from '../scripts/lib/isolated-engine.mjs';
import { buildTestImages } from '../scripts/lib/test-images.mjs';
import { SocketProxy } from '../packages/server/src/testing/socket-proxy.js';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { audit } from './ui-axe.js';
import { api, screenshot, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/**
 * Many hosts in Chromium: the test engine (local) and a second isolated dockerd added through
 * the API as a socket host, behind a proxy that can make it go dark like a real outage.
 */
const suffix = Math.random().toString(16).slice(2, 8);
const SECOND = `far-${suffix}`;
const onLocal = `fleet-near-${suffix}`;
const onSecond = `fleet-far-${suffix}`;
const lateLocal = `fleet-late-${suffix}`;
const dir = mkdtempSync(join(tmpdir(), 'berth-ui-fleet-'));

let engine: IsolatedEngine;
let proxy: SocketProxy;
let ui: UiHarness;

beforeAll(async () => {
  engine = await startIsolatedEngine({ bridge: false, quiet: true });
  await buildTestImages(engine.socketPath);
  proxy = new SocketProxy(join(dir, 'second.sock'), engine.socketPath);
  await proxy.listen();
  ui = await startUi();
}, 180_000);

afterAll(async () => {
  await ui.stop();
  await proxy.goDark();
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function createContainer(page: Page, host: string, name: string): Promise<string> {
  const made = await api(page, 'POST', `/api/hosts/${host}/containers`, {
    name,
    image: TEST_IMAGE,
    command: ['sh', '-c', 'sleep 600'],
    stopTimeoutS: 1,
    validateSeconds: 0,
  });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
  return (made.json as { container: { id: string } }).container.id;
}

const card = (page: Page, host: string) =>
  page.locator(`[data-testid=host-card][data-host="${host}"]`);

describe('many hosts in Chromium', () => {
  it('aggregates both hosts, lists and finds across them, and keeps the first live while the second is down', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    const added = await api(page, 'POST', '/api/hosts', {
      name: SECOND,
      kind: 'socket',
      url: `unix://${proxy.path}`,
      labels: ['lab'],
    });
    expect(added.status, JSON.stringify(added.json)).toBe(201);
    await createContainer(page, 'local', onLocal);
    const farId = await createContainer(page, SECOND, onSecond);

    // The dashboard: a card per host, each with its own numbers.
    await page.reload();
    await card(page, 'local').waitFor();
    await card(page, SECOND).getByTestId('host-container-count').filter({ hasText: '1' }).waitFor();
    expect(await card(page, SECOND).getByRole('heading').textContent()).toBe(SECOND);
    const fleet = (await api(page, 'GET', '/api/fleet')).json as FleetSummary;
    await page
      .getByTestId('container-count')
      .filter({ hasText: String(fleet.totals.containers) })
      .waitFor();
    // The label chip keeps the hosts carrying it.
    await page.getByRole('button', { name: 'lab', exact: true }).click();
    await card(page, 'local').waitFor({ state: 'detached' });
    await card(page, SECOND).waitFor();
    await page.getByRole('button', { name: 'lab', exact: true }).click();
    await card(page, 'local').waitFor();
    await screenshot(page, 'fleet-dashboard');

    // All hosts: one list with a host column; the server's search narrows it.
    await page.getByRole('link', { name: 'All hosts', exact: true }).click();
    await page.getByRole('heading', { name: 'All hosts: containers' }).waitFor();
    const rows = page.getByTestId('fleet-row');
    await rows.filter({ hasText: onLocal }).waitFor();
    const far = rows.filter({ hasText: onSecond });
    await far.waitFor();
    expect(await far.getAttribute('data-host')).toBe(SECOND);
    expect(await far.getByTestId('host-cell').textContent()).toBe(SECOND);
    expect(await far.getByRole('link', { name: onSecond }).getAttribute('href')).toBe(
      `/hosts/${SECOND}/containers/${farId}`,
    );
    await page.getByRole('searchbox', { name: 'Search containers on every host' }).fill(onSecond);
    await page.getByTestId('fleet-count').filter({ hasText: 'Showing 1 of 1' }).waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-host')).toBe(SECOND);
    await screenshot(page, 'fleet-containers');
    expect(await audit(page, 'all hosts: containers')).toEqual([]);

    // Ctrl-K finds the second host's container, names its host, and opens it there.
    await page.keyboard.press('Control+k');
    await page.getByRole('combobox', { name: 'Go to' }).fill(onSecond);
    const matches = page.getByRole('listbox', { name: 'Matches' }).getByRole('option');
    await matches
      .filter({ hasText: onSecond })
      .filter({ hasText: `on ${SECOND}` })
      .waitFor();
    // The best match is first, and the active option: Enter goes there.
    expect(await matches.first().textContent()).toBe(
      `container ${onSecond} · ${TEST_IMAGE} · running on ${SECOND}`,
    );
    expect(await matches.first().getAttribute('aria-selected')).toBe('true');
    await screenshot(page, 'fleet-palette');
    const opened = page.waitForURL(`**/hosts/${SECOND}/containers/${farId}`);
    await page.keyboard.press('Enter');
    await opened;

    // The second goes dark: its card says why and since when, the first stays live.
    await page.goto('/');
    await card(page, SECOND).getByTestId('host-container-count').waitFor();
    await proxy.goDark();
    await expect
      .poll(
        async () =>
          ((await api(page, 'GET', '/api/fleet')).json as FleetSummary).hosts.find(
            (h) => h.id === SECOND,
          )?.reachable,
        { timeout: 30_000 },
      )
      .toBe(false);
    const before = Number(
      await card(page, 'local').getByTestId('host-container-count').textContent(),
    );
    await createContainer(page, 'local', lateLocal);
    await card(page, 'local')
      .getByTestId('host-container-count')
      .filter({ hasText: String(before + 1) })
      .waitFor();
    const down = card(page, SECOND).getByTestId('host-unreachable');
    await down.waitFor();
    expect(await down.textContent()).toMatch(/^Unreachable since \d{2}:\d{2}:\d{2} \(/);
    expect(await card(page, SECOND).getByTestId('host-last-known').textContent()).toMatch(
      /^Last known numbers, as of \d{2}:\d{2}:\d{2}/,
    );
    // Its last known container is still counted.
    expect(await card(page, SECOND).getByTestId('host-container-count').textContent()).toBe('1');
    expect(await card(page, 'local').getByTestId('host-unreachable').count()).toBe(0);
    await screenshot(page, 'fleet-dashboard-down');
    expect(await audit(page, 'dashboard with a host down')).toEqual([]);

    // The all-hosts list flags the stale host beside its last known rows.
    await page.getByRole('link', { name: 'All hosts', exact: true }).click();
    await page
      .getByTestId('fleet-stale')
      .filter({ hasText: `${SECOND} unreachable` })
      .waitFor();
    await rows.filter({ hasText: onSecond }).getByText('last known').waitFor();

    for (const name of [onLocal, lateLocal])
      await api(page, 'DELETE', `/api/hosts/local/containers/${name}?force=true`);
    expect((await api(page, 'DELETE', `/api/hosts/${SECOND}`)).status).toBe(204);
    await context.close();
  }, 180_000);
});
