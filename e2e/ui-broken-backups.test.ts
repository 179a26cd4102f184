import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, screenshot, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/** A backup whose files are damaged on disk, as the Volumes page shows it. */
const volume = `uibroken-${Math.random().toString(16).slice(2, 8)}`;
const brokenId = '20200101t000000000z-aaaa';

let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi();
}, 60_000);

afterAll(async () => {
  await ui.stop();
});

/** The volume's backups panel, opened from its row's menu. */
async function openBackups(page: Page) {
  await page.getByRole('button', { name: `Actions for ${volume}`, exact: true }).click();
  await page.getByRole('menuitem', { name: 'Backups', exact: true }).click();
  return page.getByRole('dialog', { name: `Backups of ${volume}` });
}

describe('a broken backup in Chromium', () => {
  it('is listed as broken, saying what is wrong, and can be deleted', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    expect((await api(page, 'POST', '/api/hosts/local/volumes', { name: volume })).status).toBe(
      201,
    );
    // An index file cut off mid-write, and no archive beside it.
    const folder = join(ui.dataDir, 'backups', 'local', volume);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${brokenId}.json`), '{"id":"2020');

    await page.getByRole('link', { name: 'Volumes', exact: true }).click();
    const vol = await openBackups(page);
    const row = vol
      .getByRole('list', { name: `Backups of ${volume}` })
      .getByTestId(`backup-${brokenId}`);
    await row.getByText('Broken').waitFor();
    await row
      .getByRole('note')
      .filter({ hasText: `its index file ${brokenId}.json is not valid JSON` })
      .waitFor();
    await screenshot(page, 'volumes-broken-backup');

    await row.getByRole('button', { name: `Delete backup ${brokenId}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete backup?' });
    await confirm.getByText(/The broken backup of/).waitFor();
    await confirm.getByRole('button', { name: 'Delete backup' }).click();
    await row.waitFor({ state: 'detached' });
    const left = await api(page, 'GET', `/api/hosts/local/volumes/${volume}/backups`);
    expect(left.json).toEqual({ backups: [] });
    expect((await api(page, 'DELETE', `/api/hosts/local/volumes/${volume}`)).status).toBe(200);
    await context.close();
  });
});
