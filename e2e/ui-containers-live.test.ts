import type { ContainerList, ContainerSummary } from '@berth/contract';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { containersUi } from './ui-containers-fixture.js';
import { api, screenshot, setupAndLogin } from './ui-harness.js';

/** The live containers list: usage of the rows on screen, stacks, slow stops, the actions menu. */
const suffix = Math.random().toString(16).slice(2, 8);
const { ui: harness, create } = containersUi();

async function listed(page: Page, name: string): Promise<ContainerSummary | undefined> {
  const list = (await api(page, 'GET', `/api/hosts/local/containers?name=${name}`))
    .json as ContainerList;
  return list.containers.find((c) => c.name === name);
}

const row = (page: Page, name: string) =>
  page.getByTestId('container-row').filter({ has: page.getByRole('link', { name, exact: true }) });

async function openList(page: Page, search: string): Promise<void> {
  await page.goto('/containers');
  await page.getByRole('searchbox', { name: 'Search containers' }).fill(search);
}

describe('the live containers list', () => {
  it('shows live CPU and memory on a running row and not on a stopped one, over one socket', async () => {
    const { context, page } = await harness().newPage();
    await setupAndLogin(page);
    const running = `live-run-${suffix}`;
    const stopped = `live-off-${suffix}`;
    await create(page, running, {});
    await create(page, stopped, { autoStart: false });
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(new URL(ws.url()).pathname));

    await openList(page, `live-`);
    const cpu = row(page, running).getByTestId('live-cpu');
    await cpu.filter({ hasText: /^\d+\.\d % CPU$/ }).waitFor();
    expect(await row(page, running).getByTestId('live-memory').textContent()).toMatch(
      /^\d+(\.\d+)? (B|KiB|MiB|GiB)$/,
    );
    await row(page, stopped).getByTestId('container-status').waitFor();
    expect(await row(page, stopped).getByTestId('live-usage').count()).toBe(0);
    // One socket for the page's stats, whatever the number of rows; none per container.
    expect(sockets.filter((p) => p === '/api/hosts/local/stats/stream')).toHaveLength(1);
    expect(sockets.filter((p) => p.includes('/containers/'))).toEqual([]);

    await page.setViewportSize({ width: 1366, height: 860 });
    await screenshot(page, 'containers-live-1366');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'containers-live-375');
    await context.close();
  });

  it('groups containers by compose project, with each stack at a glance, remembered', async () => {
    const { context, page } = await harness().newPage();
    await setupAndLogin(page);
    const project = `stack-${suffix}`;
    const labels = (service: string) => ({
      'com.docker.compose.project': project,
      'com.docker.compose.service': service,
    });
    const web = `live-g-web-${suffix}`;
    const db = `live-g-db-${suffix}`;
    const loose = `live-g-loose-${suffix}`;
    await create(page, web, { labels: labels('web') });
    await create(page, db, { labels: labels('db'), autoStart: false });
    await create(page, loose, {});

    await openList(page, `live-g-`);
    await row(page, loose).waitFor();
    const toggle = page.getByRole('button', { name: 'Group by stack' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    const stack = page.locator(`[data-testid="container-group"][data-project="${project}"]`);
    await stack.waitFor();
    expect(await stack.getByTestId('group-running').textContent()).toBe('1/2 running');
    expect(await stack.getByTestId('group-worst').textContent()).toBe('created');
    const apart = page.locator('[data-testid="container-group"][data-project=""]');
    expect(await apart.textContent()).toContain('Not in a compose project');
    expect(await apart.getByTestId('group-running').textContent()).toBe('1/1 running');
    // The stack's containers come under its line, the loose one under its own.
    const lines = await page
      .getByTestId('containers-scroll')
      .locator('[data-testid="container-group"], [data-testid="container-row"]')
      .all();
    const placed = await Promise.all(
      lines.map(async (line) => ({
        y: (await line.boundingBox())?.y ?? 0,
        label: (await line.getAttribute('data-project')) ?? (await line.getAttribute('data-name')),
      })),
    );
    const order = placed.sort((a, b) => a.y - b.y).map((p) => p.label);
    expect(order).toEqual([project, db, web, '', loose]);
    await page.setViewportSize({ width: 1366, height: 860 });
    await screenshot(page, 'containers-grouped-1366');

    const hide = page.getByRole('button', { name: `Hide the containers of ${project}` });
    expect(await hide.getAttribute('aria-expanded')).toBe('true');
    await hide.click();
    await row(page, web).waitFor({ state: 'detached' });
    expect(await row(page, db).count()).toBe(0);
    expect(await row(page, loose).count()).toBe(1);

    // A later visit finds the list as it was left.
    await openList(page, `live-g-`);
    await stack.waitFor();
    expect(
      await page.getByRole('button', { name: 'Group by stack' }).getAttribute('aria-pressed'),
    ).toBe('true');
    await row(page, loose).waitFor();
    expect(await row(page, web).count()).toBe(0);
    await page.getByRole('button', { name: `Show the containers of ${project}` }).click();
    await row(page, web).waitFor();
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'containers-grouped-375');
    await context.close();
  });

  it('counts a stop down to its timeout, with the conflicting actions disabled, on the row and the page', async () => {
    const { context, page } = await harness().newPage();
    await setupAndLogin(page);
    const name = `live-stubborn-${suffix}`;
    // It ignores SIGTERM: the stop waits its 5 s, then the engine kills it.
    await create(page, name, { command: ['sh', '-c', 'trap "" TERM; sleep 600'], stopTimeoutS: 5 });

    await openList(page, name);
    await page.getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Stop' }).click();
    const countdown = row(page, name).getByTestId('stop-countdown');
    await countdown.waitFor();
    expect(await row(page, name).getByTestId('row-progress').textContent()).toBe('Stopping…');
    const first = Number(await countdown.getAttribute('data-seconds'));
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(5);
    expect(await page.getByRole('button', { name: `Actions for ${name}` }).isDisabled()).toBe(true);
    await page.setViewportSize({ width: 1366, height: 860 });
    await screenshot(page, 'containers-stop-countdown');
    await row(page, name)
      .locator(`[data-testid="stop-countdown"][data-seconds="${first - 1}"]`)
      .waitFor();
    await row(page, name).getByTestId('container-status').filter({ hasText: 'Exited' }).waitFor({
      timeout: 20_000,
    });
    expect(await row(page, name).getByTestId('stop-countdown').count()).toBe(0);

    // The container's page: the same countdown, and no other action meanwhile.
    expect((await api(page, 'POST', `/api/hosts/local/containers/${name}/start`)).status).toBe(200);
    await expect.poll(async () => (await listed(page, name))?.state).toBe('running');
    await page.goto(`/containers/${name}`);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const progress = page.getByTestId('action-progress');
    await progress.getByTestId('stop-countdown').waitFor();
    expect(await progress.textContent()).toMatch(/^Stopping… · killed in [1-5] s$/);
    for (const other of ['Restart', 'Pause', 'Kill'])
      expect(await page.getByRole('button', { name: other, exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'container-stop-countdown');
    await page.getByRole('button', { name: 'Start', exact: true }).waitFor({ timeout: 20_000 });
    expect(await progress.count()).toBe(0);
    await context.close();
  }, 60_000);

  it('offers a paused container unpause and not start, with icon quick actions named for it', async () => {
    const { context, page } = await harness().newPage();
    await setupAndLogin(page);
    const name = `live-paused-${suffix}`;
    await create(page, name, {});
    expect((await api(page, 'POST', `/api/hosts/local/containers/${name}/pause`)).status).toBe(200);

    await openList(page, name);
    await row(page, name).getByTestId('container-status').filter({ hasText: 'Paused' }).waitFor();
    const logs = page.getByRole('link', { name: `Logs of ${name}` });
    expect(await logs.textContent()).toBe('');
    expect(await logs.locator('svg').count()).toBe(1);
    // No terminal into a frozen container.
    expect(await page.getByRole('link', { name: `Terminal of ${name}` }).count()).toBe(0);
    await page.getByRole('button', { name: `Actions for ${name}` }).click();
    const menu = page.getByRole('menu', { name: `Actions for ${name}` });
    await menu.getByRole('menuitem', { name: 'Unpause' }).waitFor();
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual([
      'Unpause',
      'Stop',
      'Kill',
      'Remove',
    ]);
    await screenshot(page, 'containers-live-menu-paused');
    await menu.getByRole('menuitem', { name: 'Unpause' }).click();
    await row(page, name).getByTestId('container-status').filter({ hasText: /^Up / }).waitFor();
    await page.getByRole('link', { name: `Terminal of ${name}` }).waitFor();
    await context.close();
  });

  it('shows a recreate step by step as the server takes them', async () => {
    const { context, page } = await harness().newPage();
    await setupAndLogin(page);
    const name = `live-recreate-${suffix}`;
    await create(page, name, { command: ['sh', '-c', 'trap "" TERM; sleep 600'], stopTimeoutS: 2 });
    const oldId = (await listed(page, name))?.id ?? '';
    await page.goto(`/containers/${name}`);
    await page.getByLabel('One NAME=value per line').fill('GREETING=changed');
    await page.getByRole('button', { name: 'Save and recreate' }).click();
    const steps = page.getByRole('list', { name: 'Recreate steps' });
    // The new container is checked for 5 s: long enough to see the server's report of it.
    await steps.locator('li[data-step="starting"][aria-current="step"]').waitFor();
    const states = await Promise.all(
      (await steps.locator('li').all()).map((li) => li.getAttribute('data-state')),
    );
    expect(states).toEqual(['done', 'done', 'done', 'current', 'next']);
    await screenshot(page, 'container-recreate-steps');
    await page.waitForURL((url) => url.pathname !== `/hosts/local/containers/${name}`, {
      timeout: 30_000,
    });
    await expect.poll(async () => (await listed(page, name))?.id).not.toBe(oldId);
    await context.close();
  }, 60_000);
});
