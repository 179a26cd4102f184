import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from './ui-axe.js';
import { RunningCli } from '../packages/cli/src/__tests__/cli-stream.js';
import { waitFor } from '../packages/server/src/testing/wait-for.js';
import {
  api,
  login,
  navigate,
  screenshot,
  setupAndLogin,
  startUi,
  type UiHarness,
} from './ui-harness.js';

const COMMAND =
  /^berth agent --server (https:\/\/127\.0\.0\.1:\d+) --token (BERTH-AGENT-1-([0-9a-f]{64})-[0-9a-f]{64})$/;

/**
 * Agent hosts in the browser: added through the Hosts page (its join command shown once), the
 * real `berth agent` process dialing in and the card following it live, key rotation, a viewer
 * who sees the agent but none of its key actions, revocation and re-pairing.
 */
describe('agent hosts in the web UI', () => {
  const engine = process.env.BERTH_TEST_DOCKER_HOST ?? '';
  const stateDir = mkdtempSync(join(tmpdir(), 'berth-agent-ui-'));
  const agents: RunningCli[] = [];
  let ui: UiHarness;
  let page: Page;
  const card = (): Locator => page.locator('[data-testid="host-card"][data-host="pi"]');
  const stateOf = (): Promise<string | null> =>
    card().getByTestId('agent-state').getAttribute('data-state');
  const keyOf = async (): Promise<string> =>
    (await card().getByTestId('agent-key').textContent()) ?? '';

  /** `berth agent` as its own process, with the token (if any) of the command the page showed. */
  const startAgent = (command: string | null): RunningCli => {
    const flags = command === null ? [] : command.split(' ').slice(2);
    const agent = RunningCli.berth(
      [
        'agent',
        ...flags,
        '--engine',
        engine,
        '--state-dir',
        stateDir,
        '--deny',
        '/containers/*/exec',
      ],
      { HOME: stateDir },
    );
    agents.push(agent);
    return agent;
  };
  const logged = (agent: RunningCli, text: string): Promise<true> =>
    waitFor(`"${text}" from the agent`, () => agent.err.includes(text) || false, 30_000);

  /** The command of the join dialog, once it was copied and the dialog closed. */
  const takeCommand = async (dialog: Locator): Promise<string> => {
    const command = (await dialog.getByTestId('agent-command').textContent()) ?? '';
    expect(command).toMatch(COMMAND);
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    await dialog.getByRole('button', { name: 'Copied' }).waitFor();
    expect(String(await page.evaluate('navigator.clipboard.readText()'))).toBe(command);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    return command;
  };

  beforeAll(async () => {
    if (!engine) throw new Error('BERTH_TEST_DOCKER_HOST is not set: run `npm test`');
    ui = await startUi();
    const opened = await ui.newPage();
    await opened.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: ui.base,
    });
    page = opened.page;
    await setupAndLogin(page);
  }, 180_000);
  afterAll(async () => {
    for (const agent of agents) if (agent.code === null) agent.child.kill('SIGKILL');
    await Promise.all(agents.map((agent) => agent.ended()));
    await ui.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  let firstCommand = '';

  it('adds an agent host: name and labels, then its join command, shown once', async () => {
    await navigate(page, 'Hosts');
    await page.getByRole('button', { name: 'Add host' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add host' });
    await dialog.getByLabel('Name').fill('pi');
    await dialog.getByLabel('Agent (the host dials Berth)').check();
    await dialog.getByText('behind NAT or a firewall').waitFor();
    expect(await dialog.getByLabel('URL').count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Test connection' }).count()).toBe(0);
    await dialog.getByLabel('Labels').fill('edge');
    await screenshot(page, 'agent-add-dialog');
    await dialog.getByRole('button', { name: 'Add host' }).click();

    const shown = page.getByRole('dialog', { name: 'Start the agent of pi' });
    const command = (await shown.getByTestId('agent-command').textContent()) ?? '';
    const [, server, , pin] = COMMAND.exec(command) ?? [];
    expect(server).toBe(ui.base);
    expect(await shown.getByTestId('agent-expiry').textContent()).toBe('expires in 15 minutes');
    // The pin is the SHA-256 of the public key of the certificate Berth serves.
    const certificate = new X509Certificate(readFileSync(join(ui.dataDir, 'tls', 'cert.pem')));
    const der = certificate.publicKey.export({ type: 'spki', format: 'der' });
    const served = createHash('sha256').update(der).digest('hex');
    expect(pin).toBe(served);
    expect(await shown.getByTestId('agent-pin').textContent()).toBe(`sha256:${served}`);
    await shown.getByText('shown only now').waitFor();
    // The same as a container, one click away.
    await shown.getByText('Or run it as a container').click();
    const containerCommand =
      (await shown.getByTestId('agent-container-command').textContent()) ?? '';
    expect(containerCommand).toContain('-v /var/run/docker.sock:/var/run/docker.sock');
    expect(containerCommand).toContain(command.slice('berth agent '.length));
    await screenshot(page, 'agent-join-dialog');
    // The long token wraps inside the dialog, on a desktop and on a phone.
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 860 });
      const box = await shown.boundingBox();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= width).toBe(true);
      const block = shown.getByTestId('agent-command');
      expect(await block.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    }
    await screenshot(page, 'agent-join-dialog-phone');
    const problems = await audit(page, 'the join dialog');
    expect(problems, problems.join('\n')).toEqual([]);

    // Closing before copying asks again rather than lose the command silently.
    await page.keyboard.press('Escape');
    await shown.getByRole('alert').filter({ hasText: 'not shown again' }).waitFor();
    expect(await shown.isVisible()).toBe(true);
    firstCommand = await takeCommand(shown);
    await page.getByRole('status').filter({ hasText: 'Added host pi.' }).waitFor();
    expect(await stateOf()).toBe('awaiting_pairing');
    await card().getByText('Waiting for its agent to pair').waitFor();
  }, 120_000);

  it('turns connected live when the real agent dials in, with its key, machine and policy', async () => {
    const agent = startAgent(firstCommand);
    await logged(agent, 'connected to');
    // No reload: the card follows the host's events stream.
    await expect.poll(stateOf, { timeout: 30_000 }).toBe('connected');
    await card().getByText('Reachable', { exact: true }).waitFor();
    expect(await keyOf()).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(agent.err).toContain(await keyOf());
    expect(await card().getByTestId('agent-machine').textContent()).toContain(hostname());
    const policy = (await card().getByTestId('agent-policy').textContent()) ?? '';
    expect(policy).toContain('read and write; 1 path denied');
    expect(policy).toContain('/containers/*/exec');
    await expect.poll(() => card().textContent()).toMatch(/Docker \d+\.\d+/);
    await card().scrollIntoViewIfNeeded();
    await screenshot(page, 'agent-host-card');
    const problems = await audit(page, 'an agent host card');
    expect(problems, problems.join('\n')).toEqual([]);
  }, 60_000);

  it('rotates the key: the dialog and the card show the new fingerprint', async () => {
    const before = await keyOf();
    await card().getByRole('button', { name: 'Rotate key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rotate the key of pi?' });
    await dialog.getByText(before).waitFor();
    await dialog.getByRole('button', { name: 'Rotate key' }).click();
    const rotated = page.getByRole('dialog', { name: 'The key of pi was rotated' });
    const shown = rotated.getByTestId('agent-new-key');
    await shown.waitFor({ timeout: 30_000 });
    const after = (await shown.locator('code').first().textContent()) ?? '';
    expect(after).toMatch(/^SHA256:/);
    expect(after).not.toBe(before);
    await screenshot(page, 'agent-rotate-dialog');
    await rotated.getByRole('button', { name: 'Done' }).click();
    await expect.poll(keyOf).toBe(after);
    await expect.poll(stateOf, { timeout: 30_000 }).toBe('connected');
  }, 60_000);

  it('follows the agent going away and coming back, without a reload', async () => {
    const running = agents.at(-1);
    running?.child.kill('SIGTERM');
    expect(await running?.exitCode()).toBe(0);
    await expect.poll(stateOf, { timeout: 30_000 }).toBe('disconnected');
    await card().getByText('The agent is not connected').waitFor();
    // Its stored pairing (and rotated key) is enough to come back: no token.
    const again = startAgent(null);
    await logged(again, 'connected to');
    await expect.poll(stateOf, { timeout: 30_000 }).toBe('connected');
  }, 60_000);

  it('shows a viewer the agent, and none of its key actions', async () => {
    const viewer = { username: 'agentviewer', password: 'a long viewer password' };
    const made = await api(page, 'POST', '/api/users', {
      ...viewer,
      role: 'viewer',
      hosts: ['pi'],
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const { context, page: theirs } = await ui.newPage();
    await login(theirs, viewer.username, viewer.password);
    await navigate(theirs, 'Hosts');
    const seen = theirs.locator('[data-testid="host-card"][data-host="pi"]');
    await expect
      .poll(() => seen.getByTestId('agent-state').getAttribute('data-state'))
      .toBe('connected');
    expect(await seen.getByTestId('agent-key').textContent()).toBe(await keyOf());
    for (const name of ['New join token', 'Rotate key', 'Revoke', 'Edit'])
      expect(await seen.getByRole('button', { name }).count()).toBe(0);
    await context.close();
  }, 60_000);

  it('revokes the agent after a confirm naming the host: revoked, the agent exits 1', async () => {
    const running = agents.at(-1);
    await card().getByRole('button', { name: 'Revoke' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke the agent of pi?' });
    await confirm.getByText(await keyOf()).waitFor();
    await confirm.getByRole('button', { name: 'Revoke pi' }).click();
    await page.getByRole('status').filter({ hasText: 'Revoked the agent of pi' }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain(
      'To re-pair it, make a new join token',
    );
    await expect.poll(stateOf).toBe('revoked');
    await card().getByText('To re-pair it').waitFor();
    expect(await card().getByRole('button', { name: 'Rotate key' }).count()).toBe(0);
    await screenshot(page, 'agent-host-revoked');
    expect(await running?.exitCode()).toBe(1);
    expect(running?.err).toContain('revoked');
  }, 60_000);

  it('re-pairs with a new join token: the agent comes back with a new key', async () => {
    const revokedKey = await keyOf();
    await card().getByRole('button', { name: 'New join token' }).click();
    const dialog = page.getByRole('dialog', { name: 'New join token for pi' });
    await dialog.getByLabel('Expires in (minutes)').fill('5');
    await dialog.getByRole('button', { name: 'Make join token' }).click();
    const answer = page.getByRole('dialog', { name: 'Start the agent of pi' });
    expect(await answer.getByTestId('agent-expiry').textContent()).toBe('expires in 5 minutes');
    const command = await takeCommand(answer);
    expect(command).not.toBe(firstCommand);
    await page.getByRole('status').filter({ hasText: 'Made a new join token for pi.' }).waitFor();
    const agent = startAgent(command);
    await logged(agent, 'connected to');
    await expect.poll(stateOf, { timeout: 30_000 }).toBe('connected');
    expect(await keyOf()).not.toBe(revokedKey);
  }, 60_000);

  it('edits only the labels of an agent host', async () => {
    await card().getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit host pi' });
    await dialog.getByLabel('Labels').fill('edge, lab');
    expect(await dialog.getByLabel('URL').count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Test connection' }).count()).toBe(0);
    expect(await dialog.getByLabel('SSH').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved host pi' }).waitFor();
    await card().locator('.badge', { hasText: /^lab$/ }).waitFor();
    expect(await stateOf()).toBe('connected');
  }, 60_000);
});
