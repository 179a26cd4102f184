import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { audit } from './ui-axe.js';
import { api, navigate, screenshot, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/**
 * The Stacks pages in Chromium against the real compose engine: create in the editor (a
 * validation error shown at its line, then fixed), deploy after the plan, the services running,
 * one changed variable recreating only its service, history diff and restore, merged logs of two
 * services, down.
 */
const suffix = Math.random().toString(16).slice(2, 8);
const stack = `uistack-${suffix}`;

/** Two long-running services; `greeting` is the worker's variable the test changes. */
const compose = (greeting: string, portsLine = ''): string =>
  [
    'services:',
    '  web:',
    `    image: ${TEST_IMAGE}`,
    '    command: ["sh", "-c", "echo web is up; sleep 600"]',
    ...(portsLine ? [portsLine] : []),
    '    stop_grace_period: 1s',
    '  worker:',
    `    image: ${TEST_IMAGE}`,
    '    command: ["sh", "-c", "echo worker says $$GREETING; sleep 600"]',
    '    environment:',
    `      GREETING: ${greeting}`,
    '    stop_grace_period: 1s',
    '',
  ].join('\n');

let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi();
}, 60_000);

afterAll(async () => {
  await ui.stop();
});

/** Replaces the whole text of the file open in the editor, as typing would. */
async function setEditorText(page: Page, text: string): Promise<void> {
  const content = page.getByTestId('code-editor').locator('.cm-content');
  await content.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Opens the deploy panel, waits for its plan; gives the panel. */
async function openPlan(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  const panel = page.getByRole('dialog', { name: `Deploy ${stack}` });
  await panel.getByTestId('plan').waitFor();
  return panel;
}

const planned = (panel: Locator, service: string): Locator =>
  panel.locator(`[data-testid=plan-service][data-service="${service}"]`);

async function applyPlan(page: Page, panel: Locator): Promise<void> {
  await panel.getByRole('button', { name: 'Apply', exact: true }).click();
  await panel.getByTestId('deploy-result').waitFor({ timeout: 60_000 });
  expect(await panel.getByTestId('deploy-result').textContent()).toContain('Deployed.');
}

const serviceState = (page: Page, service: string): Locator =>
  page
    .locator(`[data-testid=stack-service][data-service="${service}"]`)
    .getByTestId('service-state');

describe('stacks in Chromium', () => {
  it('turns a pasted docker run into the new stack’s compose file, naming what it could not carry', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await navigate(page, 'Stacks');
    await page.getByRole('link', { name: 'New stack' }).click();
    await page.getByTestId('code-editor').locator('.cm-content').waitFor();
    await page.getByRole('button', { name: 'From docker run…' }).click();
    const dialog = page.getByRole('dialog', { name: 'From docker run' });
    await dialog
      .getByLabel('docker run command')
      .fill(
        `docker run -d --name pasted -p 8080:80 \\\n  -e GREETING=hi --rm ${TEST_IMAGE} sleep 600`,
      );
    await dialog.getByRole('button', { name: 'Convert' }).click();
    await dialog.waitFor({ state: 'detached' });
    const editor = page.getByTestId('code-editor').locator('.cm-content');
    await editor.getByText('8080:80').waitFor();
    await editor.getByText('GREETING: hi').waitFor();
    expect(await page.getByLabel('Name').inputValue()).toBe('pasted');
    expect(await page.getByTestId('run-warnings').textContent()).toContain('--rm');
    await screenshot(page, 'stacks-from-run');
    await context.close();
  });

  it('creates, validates, plans, deploys, edits, diffs, restores, follows logs and takes down a stack', async () => {
    const { context, page } = await ui.newPage();
    await context.addInitScript({
      content:
        "window.cspViolations = []; document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ': ' + e.sample + ' ' + e.sourceFile + ':' + e.lineNumber + ' at ' + location.pathname + location.search));",
    });
    await setupAndLogin(page);
    await navigate(page, 'Stacks');
    await page.getByRole('searchbox', { name: 'Search stacks' }).waitFor();
    const problems: string[] = [...(await audit(page, 'stacks list'))];

    // New stack: a file with a mistake at line 5 is flagged there, in the list and the editor.
    await page.getByRole('link', { name: 'New stack' }).click();
    await page.getByRole('heading', { name: 'New stack' }).waitFor();
    await page.getByLabel('Name').fill(stack);
    await page.getByTestId('code-editor').locator('.cm-content').waitFor();
    await setEditorText(page, compose('hi', '    ports: 8080'));
    const problem = page.getByTestId('problem').filter({ hasText: 'compose.yaml:5' });
    await problem.waitFor();
    expect(await problem.textContent()).toContain('services.web.ports');
    // The diagnostic sits on line 5 of the editor: its underline is in the fifth line.
    const lines = page.getByTestId('code-editor').locator('.cm-line');
    const flagged: number[] = [];
    for (let n = 0; n < (await lines.count()); n += 1) {
      if ((await lines.nth(n).locator('.cm-lintRange-error').count()) > 0) flagged.push(n + 1);
    }
    expect(flagged).toEqual([5]);
    await page.getByTestId('code-editor').locator('.cm-lint-marker-error').first().waitFor();
    await screenshot(page, 'stacks-editor-problem');
    problems.push(...(await audit(page, 'new stack with a problem')));

    await setEditorText(page, compose('hi'));
    await page.getByTestId('validation-status').filter({ hasText: 'none: 2 services' }).waitFor();
    expect(await page.getByTestId('problem').count()).toBe(0);
    await page.getByRole('button', { name: 'Create stack' }).click();
    await page.getByRole('heading', { name: stack }).waitFor();
    await page.getByText(`Created ${stack}: nothing runs until you deploy it.`).waitFor();

    // Deploy: the plan first (both services created), then apply, then both run.
    let panel = await openPlan(page);
    // An open dialog locks the page's scrolling (its styles go through the CSP as constructed
    // stylesheets; as a <style> element they were refused and the page scrolled behind).
    expect(await page.evaluate<string>('getComputedStyle(document.body).overflow')).toBe('hidden');
    for (const service of ['web', 'worker'])
      expect(await planned(panel, service).getByTestId('plan-action').textContent()).toBe('create');
    await screenshot(page, 'stacks-plan');
    problems.push(...(await audit(page, 'deploy plan')));
    await applyPlan(page, panel);
    for (const service of ['web', 'worker'])
      expect(await planned(panel, service).getByTestId('service-outcome').textContent()).toBe(
        'done',
      );
    await screenshot(page, 'stacks-applied');
    await panel.getByRole('button', { name: 'Done' }).click();
    await serviceState(page, 'web').filter({ hasText: 'running' }).waitFor();
    await serviceState(page, 'worker').filter({ hasText: 'running' }).waitFor();
    await page.getByTestId('stack-state').filter({ hasText: 'running' }).waitFor();
    // Each container links to its page, and that page back to the stack.
    await page.getByRole('link', { name: `${stack}-worker-1` }).click();
    await page.getByRole('heading', { name: `${stack}-worker-1` }).waitFor();
    await page.getByRole('link', { name: stack, exact: true }).click();
    await page.getByRole('heading', { name: stack }).waitFor();
    // The containers list, grouped by stack, links to it too.
    await navigate(page, 'Containers');
    const grouping = page.getByRole('button', { name: 'Group by stack' });
    if ((await grouping.getAttribute('aria-pressed')) !== 'true') await grouping.click();
    await page.getByRole('link', { name: `Stack ${stack}` }).click();
    await page.getByRole('heading', { name: stack }).waitFor();
    await screenshot(page, 'stacks-services');
    problems.push(...(await audit(page, 'stack services')));

    // One variable changed: the plan recreates the worker only, naming the field.
    await page.getByRole('tab', { name: 'Editor' }).click();
    await page.getByTestId('code-editor').locator('.cm-content').waitFor();
    await setEditorText(page, compose('hello'));
    await page.getByLabel('Note for the history (optional)').fill('friendlier greeting');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('editor-status').filter({ hasText: 'Saved.' }).waitFor();
    problems.push(...(await audit(page, 'stack editor')));
    panel = await openPlan(page);
    expect(await planned(panel, 'worker').getByTestId('plan-action').textContent()).toBe(
      'recreate',
    );
    expect(await planned(panel, 'worker').getByTestId('plan-changes').textContent()).toContain(
      'environment',
    );
    expect(await planned(panel, 'web').getByTestId('plan-action').textContent()).toBe('unchanged');
    await screenshot(page, 'stacks-plan-recreate');
    await applyPlan(page, panel);
    await panel.getByRole('button', { name: 'Done' }).click();

    // Logs: lines of both services, merged; the filter keeps one.
    await page.getByRole('tab', { name: 'Logs' }).click();
    const logs = page.getByTestId('stack-logs');
    await logs.getByText('web is up').first().waitFor();
    await logs.getByText('worker says hello').first().waitFor();
    await page.getByLabel('Service').selectOption('worker');
    await logs.getByText('web is up').first().waitFor({ state: 'detached' });
    expect(await logs.getByText('worker says hello').count()).toBeGreaterThan(0);
    await screenshot(page, 'stacks-logs');

    // History: the save is kept with its note; the version before it is diffed against now, then
    // restored.
    await page.getByRole('tab', { name: 'History' }).click();
    const versions = page.getByTestId('stack-version');
    const saved = versions.filter({ hasText: 'friendlier greeting' });
    await saved.waitFor();
    const savedId = Number(await saved.getAttribute('data-version'));
    const earlier = versions.filter({ hasNotText: 'friendlier greeting' });
    const ids: number[] = [];
    for (let n = 0; n < (await earlier.count()); n += 1) {
      const version = Number(await earlier.nth(n).getAttribute('data-version'));
      if (version < savedId) ids.push(version);
    }
    expect(ids.length).toBeGreaterThan(0);
    const id = Math.max(...ids);
    await page.getByRole('button', { name: `Diff version ${id}` }).click();
    const diff = page.getByTestId('history-diff');
    await diff.locator('[data-kind=del]', { hasText: 'GREETING: hi' }).waitFor();
    await diff.locator('[data-kind=add]', { hasText: 'GREETING: hello' }).waitFor();
    await screenshot(page, 'stacks-history-diff');
    problems.push(...(await audit(page, 'stack history')));
    await page.getByRole('button', { name: `Restore version ${id}` }).click();
    await page
      .getByRole('dialog', { name: `Restore version ${id}?` })
      .getByRole('button', { name: 'Restore' })
      .click();
    await page.getByTestId('restored').waitFor();
    const restored = await api(page, 'GET', `/api/hosts/local/stacks/${stack}/files/compose.yaml`);
    expect((restored.json as { content: string }).content).toContain('GREETING: hi');

    // Down: the dialog names what goes; the containers are gone after.
    await page.getByRole('button', { name: `More actions for ${stack}` }).click();
    await page.getByRole('menuitem', { name: 'Down…' }).click();
    const down = page.getByRole('dialog', { name: `Take ${stack} down?` });
    expect(await down.textContent()).toContain('2 containers');
    await down.getByRole('button', { name: 'Down', exact: true }).click();
    await page
      .getByTestId('stack-outcome')
      .filter({ hasText: `Took down ${stack}` })
      .waitFor();
    const left = await api(page, 'GET', '/api/hosts/local/containers');
    expect(
      (left.json as { containers: { composeProject: string | null }[] }).containers.filter(
        (c) => c.composeProject === stack,
      ),
    ).toEqual([]);

    // The list shows it, not deployed.
    await navigate(page, 'Stacks');
    const row = page.getByTestId('stack-list').locator(`tr[data-name="${stack}"]`);
    await row
      .getByTestId('stack-state')
      .filter({ hasText: /not deployed|stopped/ })
      .waitFor();
    await screenshot(page, 'stacks-list');

    expect(problems).toEqual([]);
    expect(await page.evaluate<string[]>('window.cspViolations')).toEqual([]);
    expect((await api(page, 'DELETE', `/api/hosts/local/stacks/${stack}?down=true`)).status).toBe(
      204,
    );
    await context.close();
  }, 240_000);
});
