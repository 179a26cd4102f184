import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocketProxy } from '../packages/server/src/testing/socket-proxy.js';
import { EngineFixtures, testSocketPath } from '../packages/server/src/testing/test-engine.js';
import { audit } from './ui-axe.js';
import { navigate, screenshot, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/** The list pages while the engine is gone: the last known list, saying so and since when. */
const fixtures = new EngineFixtures();
const dir = mkdtempSync(join(tmpdir(), 'berth-ui-stale-'));
const proxy = new SocketProxy(join(dir, 'engine.sock'), testSocketPath());
let ui: UiHarness;

beforeAll(async () => {
  await proxy.listen();
  ui = await startUi({ dockerHost: `unix://${proxy.path}` });
}, 120_000);

afterAll(async () => {
  await ui.stop();
  await proxy.goDark();
  await fixtures.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('an unreachable engine in Chromium', () => {
  it('marks each list page as the last known list, and drops the mark when it is back', async () => {
    const name = fixtures.name('kept');
    await fixtures.createContainer('kept');
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await navigate(page, 'Containers');
    await page.getByRole('link', { name, exact: true }).waitFor();
    expect(await page.getByTestId('containers-stale').count()).toBe(0);

    await proxy.goDark();
    const notice = page.getByTestId('containers-stale');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /^Engine unreachable — showing the list as of \d{2}:\d{2}:\d{2}/,
    );
    // The last known list is still there, under the notice.
    await page.getByRole('link', { name, exact: true }).waitFor();
    await screenshot(page, 'containers-stale');
    expect(await audit(page, 'containers while the engine is unreachable')).toEqual([]);
    for (const [page_, kind] of [
      ['Images', 'images'],
      ['Networks', 'networks'],
      ['Volumes', 'volumes'],
    ] as const) {
      await navigate(page, page_);
      await page.getByTestId(`${kind}-stale`).waitFor();
    }

    await proxy.listen();
    await navigate(page, 'Containers');
    await page.getByTestId('containers-stale').waitFor({ state: 'detached' });
    await page.getByRole('link', { name, exact: true }).waitFor();
    await context.close();
  });
});
