import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { waitFor } from '../packages/server/src/testing/wait-for.js';
import { audit } from './ui-axe.js';
import {
  api,
  downloadVia,
  screenshot,
  setupAndLogin,
  startUi,
  type UiHarness,
} from './ui-harness.js';

/** A container's Logs, Stats and Terminal tabs, as a user sees them. */
const suffix = Math.random().toString(16).slice(2, 8);
const exited = `ui-ls-exited-${suffix}`;
const running = `ui-ls-running-${suffix}`;

let ui: UiHarness;
beforeAll(async () => {
  ui = await startUi();
}, 120_000);
afterAll(async () => {
  await ui.stop();
});

async function create(page: Page, name: string, script: string): Promise<void> {
  const made = await api(page, 'POST', '/api/hosts/local/containers', {
    name,
    image: TEST_IMAGE,
    command: ['sh', '-c', script],
    stopTimeoutS: 1,
    validateSeconds: 0,
  });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
}

/** The two containers every test uses (made by whichever test runs first). */
async function containers(page: Page): Promise<void> {
  if ((await api(page, 'GET', `/api/hosts/local/containers/${exited}`)).status === 404)
    await create(page, exited, 'for i in $(seq 1 600); do echo n-$i; done');
  if ((await api(page, 'GET', `/api/hosts/local/containers/${running}`)).status === 404)
    await create(page, running, 'echo early; sleep 2; echo late; sleep 600');
  await waitFor(
    'the short container to exit',
    async () => (await state(page, exited)) === 'exited',
  );
}

const state = async (page: Page, name: string): Promise<string> =>
  ((await api(page, 'GET', `/api/hosts/local/containers/${name}`)).json as { state: string }).state;

const logLines = (page: Page): Promise<string[]> =>
  page.getByTestId('logs').locator('.log-line').allTextContents();

/** A time as the browser's `datetime-local` inputs take it (its own time zone, seconds). */
const LOCAL_TIME = `(at) => {
  const d = new Date(at);
  const p = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' +
    p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
}`;
const local = (page: Page, iso: string): Promise<string> =>
  page.evaluate<string>(`(${LOCAL_TIME})(${JSON.stringify(iso)})`);

/** Where the first underscore of the row `a_b_c` is, horizontally its glyph, vertically its row. */
const UNDERSCORE_CELL = `(() => {
  const row = [...document.querySelectorAll('.xterm-rows > div')].find((r) => /^a_b_c\\s*$/.test(r.textContent));
  const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf('_');
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + 1);
    const glyph = range.getBoundingClientRect();
    const box = row.getBoundingClientRect();
    return { x: glyph.left, y: box.top, width: glyph.width, height: box.height };
  }
  return null;
})()`;

/** How many pixels of a PNG (base64) are lit: the terminal draws light text on black. */
const LIT_PIXELS = `async (data) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + data;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  let count = 0;
  for (let i = 0; i < pixels.length; i += 4)
    if (pixels[i] + pixels[i + 1] + pixels[i + 2] > 200) count += 1;
  return count;
}`;

describe('logs, stats and terminal in Chromium', () => {
  it("shows a stopped container's history and that it stopped; lines, time, wrap and download", async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await containers(page);
    await page.goto(`/containers/${exited}?tab=Logs`);
    await page.getByTestId('logs').filter({ hasText: 'n-600' }).waitFor();
    await page
      .getByTestId('logs-status')
      .filter({ hasText: /container stopped at .+; showing its last lines/ })
      .waitFor();
    let lines = await logLines(page);
    expect(lines).toHaveLength(100);
    expect(lines[0]).toBe('n-501');
    await screenshot(page, 'logs-stopped');

    await page.getByRole('combobox', { name: 'Lines' }).selectOption('500');
    await page.getByTestId('logs').filter({ hasText: 'n-101' }).waitFor();
    lines = await logLines(page);
    expect(lines).toHaveLength(500);
    expect(lines[0]).toBe('n-101');
    const file = await downloadVia(page, page.getByRole('link', { name: 'Download' }));
    const saved = readFileSync(file.path, 'utf8').trimEnd().split('\n');
    expect(saved).toHaveLength(500);
    expect(saved[0]).toBe('n-101');

    // Wrap is on by default; off, a long line scrolls sideways.
    const whiteSpace = () =>
      page.evaluate<string>(
        "getComputedStyle(document.querySelector('[data-testid=logs]')).whiteSpace",
      );
    expect(await whiteSpace()).toBe('pre-wrap');
    await page.getByRole('checkbox', { name: 'Wrap lines' }).uncheck();
    expect(await whiteSpace()).toBe('pre');

    // A running container: a since after its first line, then a line written later.
    const late = await waitFor('the late line', async () => {
      const res = await api(
        page,
        'GET',
        `/api/hosts/local/containers/${running}/logs?timestamps=true`,
      );
      const found = (res.json as { lines: { text: string; timestamp: string }[] }).lines.find(
        (line) => line.text === 'late',
      );
      return found?.timestamp;
    });
    await page.goto(`/containers/${running}?tab=Logs`);
    await page.getByTestId('logs').filter({ hasText: 'late' }).waitFor();
    expect(await logLines(page)).toEqual(['early', 'late']);
    await page.getByRole('combobox', { name: 'Time range' }).selectOption('custom');
    await page.getByLabel('Since', { exact: true }).fill(await local(page, late));
    await page
      .getByLabel('Until', { exact: true })
      .fill(await local(page, new Date(Date.parse(late) - 60_000).toISOString()));
    await page.getByRole('alert').filter({ hasText: 'Since must be before until' }).waitFor();
    await page.getByLabel('Until', { exact: true }).fill('');
    await page.getByTestId('logs-status').filter({ hasText: 'following' }).waitFor();
    await waitFor('only the late line', async () => (await logLines(page)).join() === 'late');
    const exec = await api(page, 'POST', `/api/hosts/local/containers/${running}/exec`, {
      command: ['sh', '-c', 'echo written-later > /proc/1/fd/1'],
    });
    expect(exec.status).toBe(200);
    await page.getByTestId('logs').filter({ hasText: 'written-later' }).waitFor();
    expect(await logLines(page)).toEqual(['late', 'written-later']);
    await page.getByRole('searchbox', { name: 'Search logs' }).fill('later');
    await page.getByTestId('logs').locator('mark', { hasText: 'later' }).waitFor();
    expect(await audit(page, 'logs with a custom range')).toEqual([]);
    await screenshot(page, 'logs-running');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'logs-375');

    // Stopped, the view keeps its lines and says so; started again, it follows the new run.
    await page.getByRole('searchbox', { name: 'Search logs' }).fill('');
    const stop = await api(page, 'POST', `/api/hosts/local/containers/${running}/stop`);
    expect(stop.status, JSON.stringify(stop.json)).toBeLessThan(300);
    await page.getByTestId('logs-status').filter({ hasText: 'container stopped at' }).waitFor();
    expect(await logLines(page)).toEqual(['late', 'written-later']);
    const start = await api(page, 'POST', `/api/hosts/local/containers/${running}/start`);
    expect(start.status, JSON.stringify(start.json)).toBeLessThan(300);
    await page.getByTestId('logs-status').filter({ hasText: 'following' }).waitFor();
    await page.getByTestId('logs').filter({ hasText: 'early' }).waitFor();
    expect((await logLines(page)).slice(0, 3)).toEqual(['late', 'written-later', 'early']);
    await context.close();
  }, 120_000);

  it("charts a running container's stats with axes and says a stopped one has none", async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await containers(page);
    await page.goto(`/containers/${running}?tab=Stats`);
    await page.locator('[data-testid="stats"][data-samples="3"]').waitFor({ timeout: 20_000 });
    for (const id of ['cpu', 'memory', 'network', 'block', 'pids'])
      await page.getByTestId(`chart-${id}`).locator('canvas').waitFor();
    expect(await page.getByTestId('stat-memory').textContent()).toMatch(/ of .+ limit/);
    await page.getByRole('button', { name: '1 min' }).click();
    await page.reload();
    await page.locator('[data-testid="stats"][data-samples="2"]').waitFor({ timeout: 20_000 });
    expect(await page.getByRole('button', { name: '1 min' }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    expect(await audit(page, 'stats charts')).toEqual([]);
    await screenshot(page, 'stats-running');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'stats-375');

    await page.goto(`/containers/${exited}?tab=Stats`);
    await page
      .getByTestId('stats-not-running')
      .filter({ hasText: 'not running — no live stats' })
      .waitFor();
    expect(await page.getByTestId('stats').textContent()).not.toContain('0 B of 0 B');
    await screenshot(page, 'stats-stopped');
    await context.close();
  }, 120_000);

  it('renders underscores in the terminal at device pixel ratio 1, with no CSP violation', async () => {
    const { context, page } = await ui.newPage();
    await context.addInitScript({
      content:
        "window.cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ': ' + e.sample));",
    });
    await setupAndLogin(page);
    await containers(page);
    expect(await page.evaluate<number>('window.devicePixelRatio')).toBe(1);
    await page.goto(`/containers/${running}?tab=Terminal`);
    await page.getByTestId('terminal-status').filter({ hasText: 'connected' }).waitFor();
    await page.getByTestId('terminal').click();
    await page.keyboard.type('echo a_b_c');
    await page.keyboard.press('Enter');
    const row = page.locator('.xterm-rows > div').filter({ hasText: /^a_b_c\s*$/ });
    await row.waitFor();
    // The underscore's own cell, as tall as its row shows it (rows clip: overflow hidden).
    const cell = await page.evaluate<{
      x: number;
      y: number;
      width: number;
      height: number;
    } | null>(UNDERSCORE_CELL);
    expect(cell).not.toBeNull();
    if (!cell) return;
    const png = await page.screenshot({ clip: cell });
    const lit = await page.evaluate<number>(
      `(${LIT_PIXELS})(${JSON.stringify(png.toString('base64'))})`,
    );
    expect(lit, 'pixels of the underscore painted in its cell').toBeGreaterThan(2);
    await screenshot(page, 'terminal-underscore');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'terminal-375');
    const violations = await page.evaluate<string[]>('window.cspViolations');
    expect(violations).toEqual([]);
    await api(page, 'DELETE', `/api/hosts/local/containers/${running}?force=true`);
    await api(page, 'DELETE', `/api/hosts/local/containers/${exited}?force=true`);
    await context.close();
  }, 120_000);
});
