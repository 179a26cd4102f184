import type { ContainerList, ContainerSummary } from '@berth/contract';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { freePort } from '../packages/server/src/testing/free-port.js';
import { waitFor } from '../packages/server/src/testing/wait-for.js';
import { containersUi } from './ui-containers-fixture.js';
import { api, screenshot, setupAndLogin } from './ui-harness.js';

/** The containers list as a user reads and drives it: states, ports, exits, actions, edits. */
const suffix = Math.random().toString(16).slice(2, 8);
const { ui: harness, create } = containersUi();

async function listed(page: Page, name: string): Promise<ContainerSummary | undefined> {
  const list = (await api(page, 'GET', `/api/hosts/local/containers?name=${name}`))
    .json as ContainerList;
  return list.containers.find((c) => c.name === name);
}

const row = (page: Page, name: string) =>
  page.getByTestId('container-row').filter({ has: page.getByRole('link', { name, exact: true }) });

describe('the containers list', () => {
  it('offers a paused container unpause and not start, from a keyboard-driven menu', async () => {
    const { context, page } = await harness().newPage();
    await setupAndLogin(page);
    const name = `list-paused-${suffix}`;
    await create(page, name, {});
    expect((await api(page, 'POST', `/api/hosts/local/containers/${name}/pause`)).status).toBe(200);

    await page.goto('/containers');
    await page.getByRole('searchbox', { name: 'Search containers' }).fill(name);
    await row(page, name).getByTestId('container-status').filter({ hasText: 'Paused' }).waitFor();
    const button = page.getByRole('button', { name: `Actions for ${name}` });
    expect(await button.getAttribute('aria-haspopup')).toBe('menu');
    await button.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: `Actions for ${name}` });
    await menu.waitFor();
    const items = await menu.getByRole('menuitem').allTextContents();
    expect(items).toContain('Unpause');
    expect(items).not.toContain('Start');
    expect(items).not.toContain('Pause');
    await screenshot(page, 'containers-menu-paused');
    // The first item has focus; Escape closes the menu back onto its button.
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    // Radix hands focus back to the trigger a task after the menu unmounts. Polled from here:
    // waitForFunction polls a string by eval in the page, which Berth's CSP refuses.
    await waitFor(
      'focus back on the menu button',
      async () =>
        (await page.evaluate(`document.activeElement?.getAttribute('aria-label')`)) ===
        `Actions for ${name}`,
    );
    await page.keyboard.press('Enter');
    await menu.getByRole('menuitem', { name: 'Unpause' }).click();
    await row(page, name).getByTestId('container-status').filter({ hasText: /^Up / }).waitFor();
    await expect.poll(async () => (await listed(page, name))?.state).toBe('running');

    // The detail page follows the same rule.
    await api(page, 'POST', `/api/hosts/local/containers/${name}/pause`);
    await page.goto(`/containers/${name}`);
    await page.getByRole('button', { name: 'Unpause' }).waitFor();
    expect(await page.getByRole('button', { name: 'Start' }).count()).toBe(0);
    await context.close();
  });

  it('shows a port published on 0.0.0.0 and :: once, and an exited container with its exit code', async () => {
    const { context, page } = await harness().newPage();
    await setupAndLogin(page);
    const port = await freePort();
    const web = `list-ports-${suffix}`;
    await create(page, web, { ports: [{ containerPort: 80, hostPort: port }] });
    const bindings = (await listed(page, web))?.ports.filter((p) => p.publicPort === port) ?? [];
    // The engine lists the binding once per address family.
    expect(bindings.map((p) => p.hostIp).sort()).toEqual(['0.0.0.0', '::']);

    const failed = `list-exited-${suffix}`;
    await create(page, failed, { command: ['sh', '-c', 'exit 3'] });
    await expect.poll(async () => (await listed(page, failed))?.exitCode).toBe(3);
    expect(await listed(page, failed)).toMatchObject({ state: 'exited', oomKilled: false });

    await page.goto('/containers');
    await page.getByRole('searchbox', { name: 'Search containers' }).fill(`list-`);
    expect(await row(page, web).getByTestId('container-ports').textContent()).toBe(`${port}→80`);
    await row(page, failed)
      .getByTestId('container-status')
      .filter({ hasText: 'Exited (3)' })
      .waitFor();
    expect(await row(page, failed).getByTestId('exit-facts').textContent()).toMatch(
      /^exit 3 · finished /,
    );
    await screenshot(page, 'containers-list');

    await page.getByRole('link', { name: failed, exact: true }).click();
    await page.getByTestId('exit-facts').filter({ hasText: 'exit 3 · finished' }).waitFor();
    await page.getByRole('button', { name: 'Start' }).waitFor();
    expect(await page.getByRole('button', { name: 'Stop' }).count()).toBe(0);
    await context.close();
  });

  it('lands on the new container after an edit, and moves an old id on to it', async () => {
    const { context, page } = await harness().newPage();
    await setupAndLogin(page);
    const name = `list-edit-${suffix}`;
    const oldId = await create(page, name, {});
    await page.goto(`/containers/${oldId}/edit`);
    await page.getByRole('button', { name: 'Save and recreate' }).click();
    await page.getByTestId('validation').waitFor({ timeout: 30_000 });
    const newId = (await listed(page, name))?.id ?? '';
    expect(newId).not.toBe(oldId);
    expect(new URL(page.url()).pathname).toBe(`/hosts/local/containers/${newId}`);
    await page.getByRole('heading', { name }).waitFor();

    await page.goto(`/containers/${oldId}`);
    await page.waitForURL((url) => url.pathname === `/hosts/local/containers/${name}`);
    await page.getByRole('heading', { name }).waitFor();
    expect(await page.getByText('No container').count()).toBe(0);
    await context.close();
  });

  it('shows each container of a bulk stop as its result lands', async () => {
    const { context, page } = await harness().newPage();
    await setupAndLogin(page);
    const quick = `list-bulk-quick-${suffix}`;
    const slow = `list-bulk-slow-${suffix}`;
    // sh as PID 1 leaves on SIGTERM once it traps it; sleep as PID 1 ignores it until SIGKILL.
    await create(page, quick, { command: ['sh', '-c', 'trap "exit 0" TERM; sleep 600 & wait'] });
    await create(page, slow, { stopTimeoutS: 10 });

    await page.goto('/containers');
    await page.getByRole('searchbox', { name: 'Search containers' }).fill(`list-bulk-`);
    for (const n of [quick, slow])
      await page.getByRole('checkbox', { name: `Select ${n}` }).check();
    const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
    await bar.getByRole('button', { name: 'Stop', exact: true }).click();
    const progress = page.getByTestId('bulk-progress');
    const item = (n: string) => progress.getByTestId('bulk-item').filter({ hasText: n });
    await item(quick).filter({ hasText: 'stop done' }).waitFor();
    // The quick one is reported while the slow one still waits for its timeout.
    expect(await item(slow).getAttribute('data-phase')).toBe('running');
    expect(await item(slow).textContent()).toContain('Stopping…');
    expect(await row(page, slow).getByTestId('row-progress').textContent()).toBe('Stopping…');
    expect(await page.getByRole('button', { name: `Actions for ${slow}` }).isDisabled()).toBe(true);
    expect(await bar.getByRole('button', { name: 'Start', exact: true }).isDisabled()).toBe(true);
    await screenshot(page, 'containers-bulk-progress');
    await item(slow).filter({ hasText: 'stop done' }).waitFor({ timeout: 30_000 });
    await progress.filter({ hasText: '2 done, 0 failed' }).waitFor();
    await context.close();
  }, 60_000);
});
