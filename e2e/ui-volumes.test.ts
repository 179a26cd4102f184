import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import {
  api,
  createUser,
  downloadVia,
  login,
  screenshot,
  setupAndLogin,
  startUi,
  type UiHarness,
} from './ui-harness.js';

/** The Volumes page (backups, restores, schedules, files) and terminal copy and paste. */
const suffix = Math.random().toString(16).slice(2, 8);
const volume = `uivol-${suffix}`;
const user = `uivol-user-${suffix}`;
const restored = `uivol-restored-${suffix}`;
const empty = `uivol-empty-${suffix}`;
const BIG = 6 * 1024 * 1024;

let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi();
}, 60_000);

afterAll(async () => {
  await ui.stop();
});

/** Opens one of a volume's panels from its row's menu: "Backups", "Browse files", "Details". */
async function openPanel(page: Page, name: string, item: string, title: string): Promise<Locator> {
  await page.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole('menuitem', { name: item, exact: true }).click();
  const panel = page.getByRole('dialog', { name: `${title} ${name}` });
  await panel.waitFor();
  return panel;
}
const openBackups = (page: Page, name: string) => openPanel(page, name, 'Backups', 'Backups of');
const volumeRow = (page: Page, name: string): Locator =>
  page.getByTestId('volume-list').locator(`tr[data-name="${name}"]`);

async function backupIds(page: Page, name: string): Promise<string[]> {
  const res = await api(page, 'GET', `/api/hosts/local/volumes/${name}/backups`);
  return (res.json as { backups: { id: string }[] }).backups.map((b) => b.id);
}

/** Starts recording every text a progress line shows, however briefly. */
const watchProgress = (page: Page): Promise<unknown> =>
  page.evaluate(`(() => {
    const seen = (window.progressSeen = []);
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('.volume-progress')) seen.push(el.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
const progressSeen = (page: Page): Promise<string[]> =>
  page.evaluate<string[]>('window.progressSeen');

async function waitForFile(page: Page, name: string, path: string, size: number): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const res = await api(page, 'GET', `/api/hosts/local/volumes/${name}/files?path=/`);
    const entries = (res.json as { entries?: { path: string; size: number }[] }).entries ?? [];
    if (entries.some((e) => e.path === path && e.size === size)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${path} never reached ${size} bytes in ${name}`);
}

describe('volumes and the terminal in Chromium', () => {
  it('backs up with progress, deletes a backup, restores, schedules, browses, downloads and removes', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    for (const name of [volume, empty])
      expect((await api(page, 'POST', '/api/hosts/local/volumes', { name })).status).toBe(201);
    const writer = await api(page, 'POST', '/api/hosts/local/containers', {
      name: user,
      image: TEST_IMAGE,
      command: [
        'sh',
        '-c',
        `mkdir -p /data/docs && echo hello-from-volume > /data/docs/note.txt && head -c ${BIG} /dev/urandom > /data/big.bin && sleep 600`,
      ],
      mounts: [{ type: 'volume', source: volume, target: '/data' }],
      validateSeconds: 0,
      stopTimeoutS: 1,
    });
    expect(writer.status).toBe(201);
    await waitForFile(page, volume, '/big.bin', BIG);

    await page.getByRole('link', { name: 'Volumes', exact: true }).click();
    await volumeRow(page, volume).getByRole('link', { name: user, exact: true }).waitFor();
    const vol = await openBackups(page, volume);

    // A consistent backup: its user is stopped for the copy and started again.
    await vol.getByLabel(/Stop its containers during the backup/).check();
    await watchProgress(page);
    await vol.getByRole('button', { name: 'Back up now' }).click();
    await page
      .getByTestId(`backup-status-${volume}`)
      .filter({ hasText: `Backed up 2 files` })
      .filter({ hasText: `stopped and started again: ${user}` })
      .waitFor({ timeout: 60_000 });
    await page.getByTestId(`backup-progress-${volume}`).filter({ hasText: 'done' }).waitFor();
    expect((await progressSeen(page)).some((t) => /copying · [\d.]+ MiB so far/.test(t))).toBe(
      true,
    );
    const running = await api(page, 'GET', `/api/hosts/local/containers/${user}`);
    expect((running.json as { state: string }).state).toBe('running');

    await vol.getByLabel(/Stop its containers during the backup/).uncheck();
    await vol.getByRole('button', { name: 'Back up now' }).click();
    for (let i = 0; i < 150 && (await backupIds(page, volume)).length < 2; i += 1)
      await new Promise((r) => setTimeout(r, 200));
    const [newest, oldest] = await backupIds(page, volume);
    if (!newest || !oldest) throw new Error('two backups were expected');

    const list = vol.getByRole('list', { name: `Backups of ${volume}` });
    await list.getByTestId(`backup-${newest}`).waitFor();
    await list.getByTestId(`backup-${oldest}`).waitFor();
    await screenshot(page, 'volumes-backups');

    const archive = await downloadVia(
      page,
      list.getByRole('link', { name: `Download backup ${oldest}` }),
    );
    const gz = await readFile(archive.path);
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);

    await list.getByRole('button', { name: `Delete backup ${newest}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete backup?' });
    await confirm.getByText(newest).waitFor();
    await confirm.getByRole('button', { name: 'Delete backup' }).click();
    await list.getByTestId(`backup-${newest}`).waitFor({ state: 'detached' });
    expect(await backupIds(page, volume)).toEqual([oldest]);

    // Restore into a new volume, named here, with progress.
    const row = list.getByTestId(`backup-${oldest}`);
    await row.getByLabel('Restore into volume').fill(restored);
    await watchProgress(page);
    await row.getByRole('button', { name: 'Restore into a new volume' }).click();
    await page
      .getByTestId(`backup-status-${volume}`)
      .filter({ hasText: `Restored 2 files into ${restored}` })
      .waitFor({ timeout: 60_000 });
    await row.getByTestId(`restore-progress-${oldest}`).filter({ hasText: 'done' }).waitFor();
    expect((await progressSeen(page)).some((t) => /copying · [\d.]+ MiB so far/.test(t))).toBe(
      true,
    );

    // Into an existing volume: only an empty one.
    await row.getByLabel('Restore into volume').fill(volume);
    await row.getByRole('button', { name: 'Restore into existing volume' }).click();
    await vol.getByRole('alert').filter({ hasText: 'is not empty' }).waitFor({ timeout: 30_000 });
    await row.getByLabel('Restore into volume').fill(empty);
    await row.getByRole('button', { name: 'Restore into existing volume' }).click();
    await page
      .getByTestId(`backup-status-${volume}`)
      .filter({ hasText: `Restored 2 files into ${empty}` })
      .waitFor({ timeout: 60_000 });

    // The restored volume's files: into a folder, download one.
    await vol.getByRole('button', { name: 'Close' }).click();
    const copy = await openPanel(page, restored, 'Browse files', 'Files of');
    await copy.getByText('big.bin').waitFor();
    await copy.getByRole('button', { name: 'Open folder docs' }).click();
    await copy.getByTestId(`browse-path-${restored}`).filter({ hasText: '/docs' }).waitFor();
    const note = await downloadVia(page, copy.getByRole('link', { name: 'Download note.txt' }));
    expect(note.filename).toBe('note.txt');
    expect(await readFile(note.path, 'utf8')).toBe('hello-from-volume\n');
    await copy.getByRole('button', { name: 'Up', exact: true }).click();
    await copy.getByTestId(`browse-path-${restored}`).filter({ hasText: /^\/$/ }).waitFor();

    // A schedule: created, listed (also after a reload), deleted.
    await copy.getByRole('button', { name: 'Close' }).click();
    await openBackups(page, volume);
    await vol.getByLabel('Back up every (hours)').fill('12');
    await vol.getByLabel('Backups to keep').fill('3');
    await vol.getByRole('button', { name: 'Create schedule' }).click();
    const schedule = vol.getByTestId(`schedule-${volume}`);
    await schedule.filter({ hasText: 'Backed up every 12 hours, keeping the newest 3' }).waitFor();
    await page.reload();
    await openBackups(page, volume);
    await schedule.filter({ hasText: 'every 12 hours' }).waitFor();
    await vol.getByText('Last run: not yet').waitFor();
    await vol.getByRole('button', { name: 'Delete schedule' }).click();
    await schedule.filter({ hasText: 'No scheduled backups.' }).waitFor();
    expect(
      (await api(page, 'GET', `/api/hosts/local/volumes/${volume}/backup-schedule`)).json,
    ).toBeNull();

    // Removing names the volume and its users; a dry-run prune lists the unused ones.
    await vol.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: `Actions for ${volume}`, exact: true }).click();
    await page.getByRole('menuitem', { name: 'Remove…', exact: true }).click();
    const remove = page.getByRole('dialog', { name: 'Remove volume?' });
    await remove.getByText(`It is used by ${user} (running)`).waitFor();
    await remove.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Prune…' }).click();
    const prune = page.getByRole('dialog', { name: 'Prune unused volumes?' });
    await prune.getByText(restored, { exact: true }).waitFor();
    expect(await prune.getByText(volume, { exact: true }).count()).toBe(0);
    await prune.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: `Actions for ${empty}`, exact: true }).click();
    await page.getByRole('menuitem', { name: 'Remove…', exact: true }).click();
    await remove.getByText('No container uses it.').waitFor();
    await remove.getByRole('button', { name: 'Remove volume' }).click();
    await page
      .getByTestId('volumes-outcome')
      .filter({ hasText: `Removed ${empty}` })
      .waitFor();
    await page
      .getByTestId('docker-command')
      .filter({ hasText: `docker volume rm ${empty}` })
      .waitFor();
    await volumeRow(page, empty).waitFor({ state: 'detached' });
    await context.close();
  });

  it('shows a viewer the volumes and backups without any control that changes them', async () => {
    const admin = await ui.newPage();
    await setupAndLogin(admin.page);
    const seen = `uivol-seen-${suffix}`;
    expect((await api(admin.page, 'POST', '/api/hosts/local/volumes', { name: seen })).status).toBe(
      201,
    );
    expect(
      (
        await api(admin.page, 'POST', `/api/hosts/local/volumes/${seen}/backups`, {
          stopContainers: false,
        })
      ).status,
    ).toBe(201);
    await createUser(admin.page, {
      username: 'volwatcher',
      password: 'watcher password 1',
      role: 'viewer',
    });
    const { context, page } = await ui.newPage();
    await login(page, 'volwatcher', 'watcher password 1');
    await page.getByRole('link', { name: 'Volumes', exact: true }).click();
    const vol = await openBackups(page, seen);
    await vol
      .getByRole('list', { name: `Backups of ${seen}` })
      .getByRole('listitem')
      .waitFor();
    await vol.getByTestId(`schedule-${seen}`).filter({ hasText: 'No scheduled' }).waitFor();
    for (const name of ['Back up now', 'Create schedule'])
      expect(await vol.getByRole('button', { name }).count()).toBe(0);
    expect(await vol.getByRole('button', { name: /^Delete backup/ }).count()).toBe(0);
    expect(await vol.getByRole('link', { name: /^Download/ }).count()).toBe(0);
    await vol.getByRole('button', { name: 'Close' }).click();
    // Its files can be browsed, not downloaded.
    const files = await openPanel(page, seen, 'Browse files', 'Files of');
    await files.getByText('This folder is empty.').waitFor();
    expect(await files.getByRole('link', { name: /^Download/ }).count()).toBe(0);
    await files.getByRole('button', { name: 'Close' }).click();
    for (const name of ['Back up now', 'Create volume', 'Create schedule', 'Prune…'])
      expect(await page.getByRole('button', { name }).count()).toBe(0);
    await page.getByRole('button', { name: `Actions for ${seen}`, exact: true }).click();
    expect(await page.getByRole('menuitem', { name: 'Remove…' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    expect(await page.getByRole('button', { name: /^Remove volume|^Delete backup/ }).count()).toBe(
      0,
    );
    expect(await page.getByRole('link', { name: /^Download/ }).count()).toBe(0);
    await context.close();
    await admin.context.close();
  });

  it('copies from and pastes into the terminal with the keyboard and the buttons', async () => {
    const { context, page } = await ui.newPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.base });
    await setupAndLogin(page);
    const name = `uiterm-${suffix}`;
    const created = await api(page, 'POST', '/api/hosts/local/containers', {
      name,
      image: TEST_IMAGE,
      command: ['sleep', '600'],
      validateSeconds: 0,
      stopTimeoutS: 1,
    });
    expect(created.status).toBe(201);
    await page.goto(`/containers/${name}`);
    await page.getByRole('tab', { name: 'Terminal' }).click();
    await page.getByTestId('terminal-status').filter({ hasText: 'connected' }).waitFor();
    const terminal = page.getByTestId('terminal');
    const clipboard = page.getByTestId('terminal-clipboard');
    const setClipboard = (text: string) =>
      page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
    const readClipboard = async () => String(await page.evaluate('navigator.clipboard.readText()'));

    await terminal.click();
    await setClipboard('echo pasted$((5*5))');
    await page.keyboard.press('Control+Shift+V');
    await clipboard.filter({ hasText: 'Pasted 19 characters' }).waitFor();
    await page.keyboard.press('Enter');
    await terminal.filter({ hasText: 'pasted25' }).waitFor();

    await setClipboard('echo clipok$((6 * 7))');
    await page.getByRole('button', { name: 'Paste' }).click();
    // The button gives the focus back to the terminal once it has pasted.
    await clipboard.filter({ hasText: 'Pasted 21 characters' }).waitFor();
    await page.keyboard.press('Enter');
    const output = terminal.locator('.xterm-rows > div').filter({ hasText: /^clipok42\s*$/ });
    await output.waitFor();

    const box = await output.boundingBox();
    if (!box) throw new Error('the output line has no box');
    await page.mouse.dblclick(box.x + 12, box.y + box.height / 2);
    await page.keyboard.press('Control+Shift+C');
    await clipboard.filter({ hasText: 'Copied 8 characters' }).waitFor();
    expect(await readClipboard()).toBe('clipok42');

    await setClipboard('something else');
    await page.getByRole('button', { name: 'Copy selection' }).click();
    await clipboard.filter({ hasText: 'Copied 8 characters' }).waitFor();
    expect(await readClipboard()).toBe('clipok42');

    // Without the permission, pasting says why and what else to do.
    await context.clearPermissions();
    await page.getByRole('button', { name: 'Paste' }).click();
    await clipboard.filter({ hasText: 'did not allow reading the clipboard' }).waitFor();
    await api(page, 'DELETE', `/api/hosts/local/containers/${name}?force=true`);
    await context.close();
  });
});
