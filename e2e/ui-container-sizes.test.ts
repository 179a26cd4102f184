import { describeSize, type ContainerDetail, type HostInfo } from '@berth/contract';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import {
  api,
  openSection,
  screenshot,
  setupAndLogin,
  startUi,
  type UiHarness,
} from './ui-harness.js';

/** The create form's sizes (docker's units), image references, and selects that fit. */
const suffix = Math.random().toString(16).slice(2, 8);
let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi();
}, 120_000);
afterAll(async () => {
  await ui.stop();
});

/** Selects narrower than their own content (what Chromium would size them to) truncate. */
const TRUNCATED_SELECTS = `(() => [...document.querySelectorAll('form select')]
  .filter((el) => el.offsetParent !== null)
  .filter((el) => {
    const probe = el.cloneNode(true);
    probe.value = el.value;
    probe.style.cssText = 'position:absolute;width:auto;max-width:none;visibility:hidden';
    document.body.append(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    return el.getBoundingClientRect().width + 0.5 < needed;
  })
  .map((el) => el.selectedOptions[0]?.text ?? ''))()`;
const truncatedSelects = (page: Page): Promise<string[]> =>
  page.evaluate<string[]>(TRUNCATED_SELECTS);

describe('sizes and image references in the container form', () => {
  it('reads 64m as docker does, refuses junk and more than the host, flags a bad image, truncates nothing', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    const net = `backend-net-${suffix}`;
    const made = await api(page, 'POST', '/api/hosts/local/networks', {
      name: net,
      driver: 'bridge',
    });
    expect(made.status).toBe(201);
    const info = (await api(page, 'GET', '/api/hosts/local/info')).json as HostInfo;
    const name = `form-sized-${suffix}`;

    await page.goto('/containers/new');
    await page.getByLabel('Name', { exact: true }).fill(name);
    // A bad reference is flagged as it is typed, before any submit.
    await page.getByLabel('Image').fill('Busybox:1');
    await page.getByText(/^not an image reference: a repository is lowercase/).waitFor();
    await page.getByLabel('Image').fill('busybox:-1');
    await page.getByText(/^not an image reference: a tag is up to 128/).waitFor();
    await page.getByLabel('Image').fill(TEST_IMAGE);
    await page.getByLabel('Command', { exact: true }).fill('sleep 600');

    await openSection(page, 'Networks');
    await page.getByRole('button', { name: 'Add network' }).click();
    await page.getByLabel('Network', { exact: true }).selectOption(net);
    await openSection(page, 'Restart and resources');
    await page.getByLabel('Restart policy').selectOption('unless-stopped');
    const memory = page.getByLabel('Memory limit');
    const cpus = page.getByLabel('CPUs');
    const before = await cpus.boundingBox();
    await memory.fill('lots');
    await page.getByText('expected a size such as 512m').waitFor();
    // The message grows its own field downwards; its neighbours stay where they were.
    expect(await cpus.boundingBox()).toEqual(before);
    await memory.fill(`${Math.ceil(info.hardware.memoryBytes / 1024 ** 3) + 1}g`);
    await page
      .getByText(`more than this host has (${describeSize(info.hardware.memoryBytes)} of memory)`)
      .waitFor();
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    expect(new URL(page.url()).pathname).toBe('/hosts/local/containers/new');

    await memory.fill('64m');
    const command = page.getByTestId('docker-command');
    await command.filter({ hasText: '--memory 64m' }).waitFor();
    expect(await command.first().textContent()).not.toContain('67108864');
    expect(await truncatedSelects(page)).toEqual([]);
    await screenshot(page, 'create-container-sizes');

    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page
      .getByTestId('validation')
      .filter({ hasText: 'started' })
      .waitFor({ timeout: 30_000 });
    const detail = (await api(page, 'GET', `/api/hosts/local/containers/${name}`))
      .json as ContainerDetail;
    expect((detail.inspect.HostConfig as { Memory: number }).Memory).toBe(67108864);
    expect(detail.cli).toContain('--memory 64m');

    // Editing shows the limit as it was typed.
    await page.goto(`/containers/${name}/edit`);
    await openSection(page, 'Restart and resources');
    expect(await page.getByLabel('Memory limit').inputValue()).toBe('64m');
    expect(await truncatedSelects(page)).toEqual([]);

    await api(page, 'DELETE', `/api/hosts/local/containers/${name}?force=true`);
    await api(page, 'DELETE', `/api/hosts/local/networks/${net}`);
    await context.close();
  });
});
