import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  await ui.stop();
  await new Promise((resolve) => hook.close(resolve));
});

async function create(page: Page, name: string, script: string): Promise<void> {
  if ((await api(page, 'GET', `/api/hosts/local/containers/${name}`)).status !== 404) return;
  const made = await api(page, 'POST', '/api/hosts/local/containers', {
    name,
    image: TEST_IMAGE,
    command: ['sh', '-c', script],
    stopTimeoutS: 1,
    validateSeconds: 0,
  });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
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
    await context.close();
  }, 60_000);
});
