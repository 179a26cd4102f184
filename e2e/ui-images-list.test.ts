import type { BuildResult, TransferResult } from '@berth/contract';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRegistry, type TestRegistry } from '../scripts/lib/test-registry.mjs';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { audit } from './ui-axe.js';
import {
  SHOTS,
  api,
  navigate,
  screenshot,
  setupAndLogin,
  startUi,
  type UiHarness,
} from './ui-harness.js';
import { join } from 'node:path';
import { closeDialog, imageRow, openDetails, openHeaderDialog } from './images-page.js';

/**
 * The Images page as a list: search by tag or id, filters, a failed pull said once in its dialog,
 * and the page and its dialogs looked at in both themes, at 1366 and 375 px.
 */
const suffix = Math.random().toString(16).slice(2, 8);
const repo = `ui-list-${suffix}`;
const made = new Set<string>();

let ui: UiHarness;
let registry: TestRegistry;

beforeAll(async () => {
  registry = await startTestRegistry();
  ui = await startUi();
}, 90_000);

afterAll(async () => {
  const { context, page } = await ui.newPage();
  await setupAndLogin(page);
  for (const ref of made) {
    await api(page, 'DELETE', `/api/hosts/local/images/${encodeURIComponent(ref)}?force=true`);
  }
  await context.close();
  await ui.stop();
  await registry.stop();
});

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

/** Light and dark at a desktop's and a phone's width. */
async function shots(page: Page, label: string): Promise<void> {
  for (const width of [1366, 375]) {
    await page.setViewportSize({ width, height: width > 400 ? 860 : 800 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: join(SHOTS, `${label}-${width}-${scheme}.png`) });
    }
  }
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('the Images list', () => {
  it('finds images by repository:tag or id, filters them, and sorts them', async () => {
    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      const tag = `${repo}/findme:1`;
      made.add(tag);
      // Chromium aborts a fetch when a network interface comes or goes (the suites beside this
      // one make networks all the time); building the same Dockerfile again is harmless.
      const build = async (attempt = 1): Promise<{ json: unknown }> => {
        try {
          return await api(page, 'POST', '/api/hosts/local/images/build', {
            dockerfile: `FROM ${TEST_IMAGE}\nRUN echo ${suffix} > /findme.txt\n`,
            tags: [tag],
          });
        } catch (err) {
          if (attempt >= 3 || !/Failed to fetch/.test(String(err))) throw err;
          return build(attempt + 1);
        }
      };
      const built = await build();
      const result = built.json as BuildResult;
      expect(result.ok, result.error ?? '').toBe(true);
      const shortId = (result.imageId ?? '').replace(/^sha256:/, '').slice(0, 12);
      await navigate(page, 'Images');
      const rows = page.getByTestId('image-row');
      await imageRow(page, TEST_IMAGE).first().waitFor();
      await imageRow(page, tag).waitFor();
      expect(await rows.count()).toBeGreaterThan(1);
      await shots(page, 'images-list');

      const search = page.getByRole('searchbox', { name: 'Search images' });
      // By a part of the repository, in another case: only that image is left.
      await search.fill(`${repo}/FINDME`);
      await rows.filter({ hasNotText: tag }).first().waitFor({ state: 'detached' });
      expect(await rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain(tag);
      expect(await rows.first().textContent()).toContain(shortId);
      expect(await page.getByTestId('images-count').textContent()).toMatch(/^1 of \d+ images$/);
      // By an id prefix, with or without "sha256:".
      await search.fill(`sha256:${shortId.slice(0, 8)}`);
      await imageRow(page, tag).waitFor();
      expect(await rows.count()).toBe(1);
      await search.fill(shortId);
      await imageRow(page, tag).waitFor();
      expect(await rows.count()).toBe(1);
      // Nothing matches: the page says so.
      await search.fill(`no-such-image-${suffix}`);
      await page.getByText('No image matches.').waitFor();
      expect(await rows.count()).toBe(0);

      // Unused and "in use" split the list; the new image is used by no container.
      await search.fill(repo);
      await imageRow(page, tag).waitFor();
      const show = page.getByRole('combobox', { name: 'Show' });
      await show.selectOption('in-use');
      await page.getByText('No image matches.').waitFor();
      await show.selectOption('unused');
      await imageRow(page, tag).filter({ hasText: 'unused' }).waitFor();
      await show.selectOption('dangling');
      await page.getByText('No image matches.').waitFor();
      await show.selectOption('');

      // Sorted by size, the largest comes first.
      await search.fill('');
      await page.getByRole('combobox', { name: 'Sort by' }).selectOption('size');
      const sizes = await page
        .getByRole('table', { name: 'Images' })
        .locator('tbody tr td:nth-child(3)')
        .allTextContents();
      expect(sizes.length).toBeGreaterThan(1);
      const bytes = sizes.map((s) => {
        const [value = '0', unit = 'B'] = s.split(' ');
        return Number(value) * 1024 ** ['B', 'KiB', 'MiB', 'GiB', 'TiB'].indexOf(unit);
      });
      expect(bytes).toEqual([...bytes].sort((a, b) => b - a));

      // The details dialog, and its axe check.
      await search.fill(tag);
      const details = await openDetails(page, tag);
      await details.getByTestId('image-history').waitFor();
      await shots(page, 'images-details');
      expect(await audit(page, 'image details')).toEqual([]);
      await closeDialog(details);
    } finally {
      await context.close();
    }
  });

  it("shows a failed pull's message once, in the pull dialog", async () => {
    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      const ref = `${registry.host}/missing-${suffix}/app:1`;
      // The engine's own words for this image, as the API reports them.
      const direct = (await api(page, 'POST', '/api/hosts/local/images/pull', { image: ref }))
        .json as TransferResult;
      expect(direct.status).toBe('failed');
      const message = direct.error ?? '';
      expect(message.length).toBeGreaterThan(0);

      await navigate(page, 'Images');
      const pull = await openHeaderDialog(page, 'Pull image');
      await shots(page, 'images-pull-dialog');
      expect(await audit(page, 'pull dialog')).toEqual([]);
      await pull.getByLabel('Image', { exact: true }).fill(ref);
      await pull.getByRole('button', { name: 'Pull', exact: true }).click();
      await pull
        .getByTestId('pull-result')
        .filter({ hasText: 'failed' })
        .waitFor({ timeout: 30_000 });
      expect(await pull.getByTestId('pull-error').textContent()).toBe(message);
      const body = await page.locator('body').innerText();
      expect(occurrences(body, message)).toBe(1);
      await shots(page, 'images-pull-failed');

      // Closed and opened again, the dialog still shows how the pull ended, once.
      await closeDialog(pull);
      const again = await openHeaderDialog(page, 'Pull image');
      await again.getByTestId('pull-error').waitFor();
      expect(occurrences(await page.locator('body').innerText(), message)).toBe(1);
    } finally {
      await context.close();
    }
  });

  it('opens build, load, prune and registries from the header, each passing axe', async () => {
    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      await navigate(page, 'Images');
      await page.getByTestId('image-row').first().waitFor();
      expect(await audit(page, 'images page')).toEqual([]);
      for (const [button, label] of [
        ['Build image', 'images-build-panel'],
        ['Load image', 'images-load-dialog'],
        ['Prune images', 'images-prune-dialog'],
        ['Registries', 'images-registries-panel'],
      ] as const) {
        const dialog = await openHeaderDialog(page, button);
        await shots(page, label);
        expect(await audit(page, button)).toEqual([]);
        await closeDialog(dialog);
      }
      await screenshot(page, 'images-page');
    } finally {
      await context.close();
    }
  });
});
