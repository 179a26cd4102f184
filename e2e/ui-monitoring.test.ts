import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerCli } from '../packages/server/src/testing/docker-cli.js';
import { freePort } from '../packages/server/src/testing/free-port.js';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { waitFor } from '../packages/server/src/testing/wait-for.js';
import { audit } from './ui-axe.js';
import {
  api,
  createUser,
  login,
  screenshot,
  setupAndLogin,
  startUi,
  type UiHarness,
} from './ui-harness.js';

/** Monitoring as a user sees it: container metrics and health, alerts, notification channels. */
const suffix = Math.random().toString(16).slice(2, 8);
const busy = `ui-mon-busy-${suffix}`;
const failing = `ui-mon-fail-${suffix}`;
const stackMember = `ui-mon-stack-${suffix}`;
const stack = `ui-mon-${suffix}`;

let ui: UiHarness;
let hook: Server;
let hookUrl = '';
const received: { headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  // A real HTTP server on loopback standing in for a webhook receiver.
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/berth`;
  ui = await startUi();
}, 120_000);
afterAll(async () => {
  // The busy loop would spin for the rest of the run on the shared engine.
  await dockerCli(['rm', '--force', busy, failing, stackMember, `${stackMember}-2`]);
  await ui.stop();
  await new Promise((resolve) => hook.close(resolve));
});

async function create(page: Page, name: string, script: string): Promise<void> {
  if ((await api(page, 'GET', `/api/hosts/local/containers/${name}`)).status !== 404) return;
  // The shared test engine may hold other suites' containers past the hardware profile's count.
  const lifted = await api(page, 'PATCH', '/api/settings', { allowOverContainerLimit: true });
  expect(lifted.status, JSON.stringify(lifted.json)).toBe(200);
  const made = await api(page, 'POST', '/api/hosts/local/containers', {
    name,
    image: TEST_IMAGE,
    command: ['sh', '-c', script],
    stopTimeoutS: 1,
    validateSeconds: 0,
  });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
}

async function navigateTo(page: Page, path: string, heading: string): Promise<void> {
  await page.goto(path);
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
}

describe('monitoring in Chromium', () => {
  it('adds a webhook channel, sends a test that arrives, says why one cannot be sent', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await page.getByRole('link', { name: 'Notifications', exact: true }).click();
    await page.getByRole('heading', { name: 'Notifications', exact: true }).waitFor();
    await page.getByText('No channels yet').waitFor();

    await page.getByRole('button', { name: 'Add channel…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New notification channel' });
    await dialog.getByLabel('Kind').selectOption('webhook');
    await dialog.getByLabel('Name', { exact: true }).fill('ops hook');
    await dialog.getByLabel('URL').fill('not a url');
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    await dialog.getByText('must be an http:// or https:// URL').waitFor();
    await dialog.getByLabel('URL').fill(hookUrl);
    await dialog.getByLabel('Signing secret (optional)').fill('a hook secret');
    expect(await audit(page, 'channel dialog')).toEqual([]);
    await screenshot(page, 'monitoring-channel-dialog');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'monitoring-channel-dialog-375');
    await page.setViewportSize({ width: 1280, height: 860 });
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByTestId('channel').filter({ hasText: 'ops hook' });
    await row.getByText(`${hookUrl} (signed)`).waitFor();

    await row.getByRole('button', { name: 'Send test' }).click();
    await row.getByTestId('test-outcome').filter({ hasText: 'sent' }).waitFor();
    expect(received).toHaveLength(1);
    expect(received[0]?.headers['x-berth-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);

    // A channel whose server is not there: the test says why.
    const dead = await api(page, 'POST', '/api/notifications/channels', {
      name: 'nowhere',
      kind: 'ntfy',
      config: { serverUrl: `http://127.0.0.1:${await freePort()}/`, topic: 'berth' },
    });
    expect(dead.status, JSON.stringify(dead.json)).toBe(201);
    await page.reload();
    const deadRow = page.getByTestId('channel').filter({ hasText: 'nowhere' });
    await deadRow.getByRole('button', { name: 'Send test' }).click();
    await deadRow
      .getByTestId('test-outcome')
      .filter({ hasText: 'failed' })
      .waitFor({ timeout: 30_000 });
    expect(await deadRow.getByTestId('test-outcome').textContent()).toMatch(
      /ECONNREFUSED|refused/i,
    );
    await page.getByTestId('deliveries').getByText('ops hook').first().waitFor();

    // Editing shows no secret, and keeps it when left empty.
    await row.getByRole('button', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit ops hook' });
    expect(await edit.getByLabel('Signing secret (optional)').inputValue()).toBe('');
    await edit.getByText('Stored, never shown: leave empty to keep it').waitFor();
    expect(await page.content()).not.toContain('a hook secret');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await row.getByText(`${hookUrl} (signed)`).waitFor();

    expect(await audit(page, 'notification channels')).toEqual([]);
    await screenshot(page, 'monitoring-channels');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'monitoring-channels-375');
    await context.close();
  }, 120_000);

  it('raises an alert from a rule made in the dialog; acknowledge, silence, health timeline', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await navigateTo(page, '/alerts', 'Alerts');
    await page.getByText('Nothing is firing.').waitFor();

    await page.getByRole('tab', { name: 'Rules' }).click();
    await page.getByRole('button', { name: 'New rule…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New alert rule' });
    await dialog.getByLabel('Watches').selectOption('memory_above');
    await dialog.getByLabel('Threshold (%)').fill('150');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog
      .getByText('is required')
      .or(dialog.getByText(/Too small|at least/))
      .first()
      .waitFor();
    await dialog.getByLabel('Name', { exact: true }).fill(`crashed ${suffix}`);
    await dialog.getByLabel('Watches').selectOption('exited_nonzero');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page
      .getByTestId('rule')
      .filter({ hasText: `crashed ${suffix}` })
      .waitFor();

    await create(page, failing, 'sleep 1; exit 3');
    await page.getByRole('tab', { name: 'Firing' }).click();
    const alert = page.getByTestId('alert').filter({ hasText: failing });
    await alert.waitFor({ timeout: 30_000 });
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alert.getByTestId('acknowledged').filter({ hasText: 'acknowledged by admin' }).waitFor();
    expect(await audit(page, 'alerts firing')).toEqual([]);
    await screenshot(page, 'monitoring-alerts');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'monitoring-alerts-375');
    await page.setViewportSize({ width: 1280, height: 860 });

    await alert.getByRole('button', { name: 'Silence…' }).click();
    const silence = page.getByRole('dialog', { name: 'New silence' });
    expect(await silence.getByLabel('Container').inputValue()).toBe(failing);
    await silence.getByLabel('Ends in').selectOption({ label: '1 day' });
    await silence.getByLabel('Comment').fill('known crash');
    await silence.getByRole('button', { name: 'Silence' }).click();
    await silence.waitFor({ state: 'detached' });
    await page.getByRole('tab', { name: 'Silences' }).click();
    await page.getByTestId('silences').getByText(`container ${failing}`).waitFor();
    await page.getByTestId('silences').getByText('“known crash”').waitFor();

    // Editing a rule: its kind stays, the rest changes.
    await page.getByRole('tab', { name: 'Rules' }).click();
    const rule = page.getByTestId('rule').filter({ hasText: `crashed ${suffix}` });
    await rule.getByRole('button', { name: 'Edit…' }).click();
    const edit = page.getByRole('dialog', { name: `Edit crashed ${suffix}` });
    expect(await edit.getByLabel('Watches').isDisabled()).toBe(true);
    await edit.getByLabel('For (minutes)').fill('5');
    await edit.getByLabel('Repeat every (minutes)').fill('60');
    await screenshot(page, 'monitoring-rule-dialog');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await rule.getByText('for 5 min').waitFor();
    await rule.getByText('repeats every 60 min').waitFor();

    // The container's health timeline and the host's "what broke" feed name the exit.
    await page.goto(`/containers/${failing}?tab=Health`);
    await page.getByTestId('health-events').getByText('exited 3').waitFor({ timeout: 30_000 });
    expect(await audit(page, 'health timeline')).toEqual([]);
    await screenshot(page, 'monitoring-health');
    await page.goto('/hosts/local/system');
    await page.getByTestId('incidents').getByText(failing).first().waitFor();
    await screenshot(page, 'monitoring-host');
    await context.close();
  }, 180_000);

  it("charts a container's recorded metrics with the live tail, values under the cursor", async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await create(page, busy, 'while true; do echo tick > /dev/null; sleep 0.2; done');
    await waitFor(
      'the sampler to record the container',
      async () => {
        const res = await api(page, 'GET', `/api/hosts/local/containers/${busy}/metrics`);
        return res.status === 200 && JSON.stringify(res.json).includes('"cpuPercent"');
      },
      // A sampling round every 15 s, slower while the shared engine runs many containers.
      90_000,
      500,
    );
    await page.goto(`/containers/${busy}?tab=Stats`);
    await page.getByRole('button', { name: '1 h' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'recorded history, live readings appended' })
      .waitFor();
    for (const id of ['cpu', 'memory', 'network', 'block', 'pids'])
      await page.getByTestId(`chart-${id}`).locator('canvas').waitFor();
    expect(await page.getByTestId('stat-memory').textContent()).toMatch(/ of .+ limit/);
    // Under the cursor, the legend reads the values there.
    const plot = page.getByTestId('chart-cpu').locator('.u-over');
    const box = await plot.boundingBox();
    if (!box) throw new Error('the CPU chart has no plot area');
    await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
    await page
      .getByTestId('chart-at-cpu')
      .filter({ hasText: /^at \d/ })
      .waitFor();
    await page
      .getByTestId('chart-at-network')
      .filter({ hasText: /^at \d/ })
      .waitFor();
    await page.mouse.move(0, 0);
    expect(await audit(page, 'container metrics')).toEqual([]);
    await screenshot(page, 'monitoring-container-metrics');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'monitoring-container-metrics-375');
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto('/hosts/local/system');
    await page.getByTestId('chart-host-cpu').locator('canvas').waitFor({ timeout: 30_000 });
    await screenshot(page, 'monitoring-host-metrics');
    await page.goto('/');
    await page.getByTestId('chart-host-memory').locator('canvas').waitFor({ timeout: 30_000 });
    await screenshot(page, 'monitoring-dashboard');

    // A compose project's containers: its page charts their totals.
    const started = await dockerCli([
      'run',
      '--detach',
      '--name',
      stackMember,
      '--label',
      `com.docker.compose.project=${stack}`,
      '--label',
      'com.docker.compose.service=web',
      TEST_IMAGE,
      'sleep',
      '600',
    ]);
    expect(started.code, started.stderr).toBe(0);
    await waitFor(
      'a sample of the stack',
      async () => {
        const res = await api(page, 'GET', `/api/hosts/local/stacks/${stack}/metrics`);
        return ((res.json as { points?: unknown[] }).points?.length ?? 0) > 0;
      },
      60_000,
      500,
    );
    await page.goto(`/hosts/local/stacks/${stack}`);
    await page.getByRole('tab', { name: 'Metrics' }).click();
    for (const id of ['cpu', 'memory', 'network', 'block', 'running'])
      await page.getByTestId(`chart-stack-${id}`).locator('canvas').waitFor();
    // The latest figure of its one running container, and its memory in use.
    await page.getByTestId('stat-stack-running').filter({ hasText: /^1$/ }).waitFor();
    expect(await page.getByTestId('stat-stack-memory').textContent()).toMatch(/\d/);
    expect(await page.getByText('Nothing recorded').count()).toBe(0);
    // A second member started: the next round reaches the chart (1 h: a point each round).
    await page.getByRole('button', { name: '1 h' }).click();
    const second = await dockerCli([
      'run',
      '--detach',
      '--name',
      `${stackMember}-2`,
      '--label',
      `com.docker.compose.project=${stack}`,
      '--label',
      'com.docker.compose.service=worker',
      TEST_IMAGE,
      'sleep',
      '600',
    ]);
    expect(second.code, second.stderr).toBe(0);
    await page
      .getByTestId('stat-stack-running')
      .filter({ hasText: /^2$/ })
      .waitFor({ timeout: 60_000 });
    expect(await audit(page, 'stack metrics')).toEqual([]);
    await screenshot(page, 'monitoring-stack-metrics');
    await context.close();
  }, 240_000);

  it('shows a viewer no admin controls', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await createUser(page, {
      username: `viewer-${suffix}`,
      password: 'a viewer password',
      role: 'viewer',
    });
    await login(page, `viewer-${suffix}`, 'a viewer password');
    expect(await page.getByRole('link', { name: 'Notifications', exact: true }).count()).toBe(0);
    await page.goto('/admin/notifications');
    await page.getByText('Only admins see and change notification channels.').waitFor();
    // Alerts: seen, but no acknowledging, silencing or rules.
    await page.goto('/alerts?tab=History');
    await page.getByRole('tab', { name: 'History' }).waitFor();
    await page.getByTestId('alert-list').or(page.getByText('No alerts yet.')).first().waitFor();
    expect(await page.getByRole('tab', { name: 'Rules' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Silence…' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Silences' }).click();
    await page.getByTestId('silences').waitFor({ state: 'attached' });
    expect(await page.getByRole('button', { name: /New silence|End now/ }).count()).toBe(0);
    await context.close();
  }, 60_000);
});
