import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTarGzip } from 'nanotar';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeCli } from '../packages/server/src/testing/docker-cli.js';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import {
  api,
  createUser,
  login,
  navigate,
  screenshot,
  setupAndLogin,
  startUi,
  type UiHarness,
} from './ui-harness.js';
import { audit } from './ui-axe.js';

/**
 * The Stacks pages as a user meets them, in Chromium against the real engine: creating from an
 * upload, the host's variables, a stack the compose CLI started (adopted, then deployed), a plan
 * gone stale, delete with and without volumes, a viewer's read-only view, and a phone's width.
 */
const suffix = Math.random().toString(16).slice(2, 8);
const scratch = mkdtempSync(join(tmpdir(), 'berth-ui-stacks-'));

const sleeper = (service: string, extra: string[] = []): string[] => [
  `  ${service}:`,
  `    image: ${TEST_IMAGE}`,
  '    command: ["sleep", "600"]',
  '    stop_grace_period: 1s',
  ...extra,
];

let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi();
}, 60_000);

afterAll(async () => {
  await ui.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const stackRow = (page: Page, name: string) =>
  page.getByTestId('stack-list').locator(`tr[data-name="${name}"]`);

async function createStack(page: Page, name: string, compose: string): Promise<void> {
  const made = await api(page, 'POST', '/api/hosts/local/stacks', {
    name,
    files: { 'compose.yaml': compose },
  });
  expect(made.status, JSON.stringify(made.json)).toBe(201);
}

async function openStack(page: Page, name: string): Promise<void> {
  await navigate(page, 'Stacks');
  await stackRow(page, name).getByRole('link', { name }).click();
  await page.getByRole('heading', { name, exact: true }).waitFor();
}

describe('stacks as a user meets them', () => {
  it('creates stacks from an uploaded compose file, folder and .tar.gz, and keeps the host’s variables', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await navigate(page, 'Stacks');
    await page.getByRole('link', { name: 'New stack' }).click();
    await page.getByRole('heading', { name: 'New stack' }).waitFor();

    // One compose file: it becomes compose.yaml.
    await page.getByRole('button', { name: 'Upload…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Upload a stack' });
    const single = ['services:', ...sleeper('one'), ''].join('\n');
    await dialog.getByLabel('Compose file', { exact: true }).setInputFiles({
      name: 'docker-compose.yml',
      mimeType: 'application/yaml',
      buffer: Buffer.from(single),
    });
    await dialog.getByTestId('upload-problems').filter({ hasText: 'No problems' }).waitFor();
    expect(await dialog.getByTestId('upload-file').allTextContents()).toEqual([
      expect.stringContaining('compose.yaml'),
    ]);

    // A folder: every file in it, listed before anything is created, then created.
    const folderName = `upfolder-${suffix}`;
    const folder = join(scratch, folderName);
    mkdirSync(join(folder, 'conf'), { recursive: true });
    writeFileSync(
      join(folder, 'compose.yaml'),
      ['services:', ...sleeper('web', ['    env_file: conf/web.env']), ''].join('\n'),
    );
    writeFileSync(join(folder, 'conf', 'web.env'), 'MODE=folder\n');
    await dialog.getByLabel('Folder', { exact: true }).setInputFiles(folder);
    await dialog.getByText('Will create 2 files').waitFor();
    expect(await dialog.getByTestId('upload-file').allTextContents()).toEqual([
      expect.stringContaining('compose.yaml'),
      expect.stringContaining('conf/web.env'),
    ]);
    await dialog.getByTestId('upload-problems').filter({ hasText: '1 service (web)' }).waitFor();
    expect(await dialog.getByLabel('Stack name').inputValue()).toBe(folderName);
    await screenshot(page, 'stacks-upload-folder');
    const problems = await audit(page, 'upload dialog');
    await dialog.getByRole('button', { name: 'Create stack' }).click();
    await page.getByRole('heading', { name: folderName, exact: true }).waitFor();
    const env = await api(page, 'GET', `/api/hosts/local/stacks/${folderName}/files/conf/web.env`);
    expect((env.json as { content: string }).content).toBe('MODE=folder\n');

    // A .tar.gz of a folder with a mistake: the server's problem is shown with file, line, path.
    await page.goto('/stacks/new');
    await page.getByRole('button', { name: 'Upload…' }).click();
    dialog = page.getByRole('dialog', { name: 'Upload a stack' });
    const archiveName = `shop-${suffix}`;
    const broken = ['services:', ...sleeper('web', ['    ports: 8080']), ''].join('\n');
    const archive = await createTarGzip([
      { name: 'shop/compose.yaml', data: broken },
      { name: 'shop/README.md', data: '# shop\n' },
    ]);
    await dialog.getByLabel('Archive (.tar, .tar.gz)', { exact: true }).setInputFiles({
      name: `${archiveName}.tar.gz`,
      mimeType: 'application/gzip',
      buffer: Buffer.from(archive),
    });
    const problem = dialog.getByTestId('problem').filter({ hasText: 'compose.yaml:6' });
    await problem.waitFor();
    expect(await problem.textContent()).toContain('services.web.ports');
    expect(await dialog.getByTestId('upload-file').allTextContents()).toEqual([
      expect.stringContaining('README.md'),
      expect.stringContaining('compose.yaml'),
    ]);
    expect(await dialog.getByLabel('Stack name').inputValue()).toBe(archiveName);
    await screenshot(page, 'stacks-upload-archive');
    await dialog.getByRole('button', { name: 'Create stack' }).click();
    await page.getByRole('heading', { name: archiveName, exact: true }).waitFor();
    const shop = await api(page, 'GET', `/api/hosts/local/stacks/${archiveName}`);
    expect((shop.json as { files: { path: string }[] }).files.map((f) => f.path).sort()).toEqual([
      'README.md',
      'compose.yaml',
    ]);

    // Variables: add a secret and a plain one; a bad name is refused at its row.
    await navigate(page, 'Stacks');
    await page.getByRole('button', { name: 'Variables' }).click();
    let panel = page.getByRole('dialog', { name: 'Stack variables' });
    const rows = panel.getByTestId('stack-variable');
    const addRow = async (name: string, value: string): Promise<void> => {
      await panel.getByRole('button', { name: 'Add variable' }).click();
      const row = rows.last();
      await row.getByLabel('Name').fill(name);
      await row.getByLabel('Value').fill(value);
    };
    await addRow('GREETING', 'top-secret-42');
    await panel.getByRole('switch', { name: 'GREETING is secret' }).check();
    await addRow('PLAIN', 'visible');
    await addRow('1bad', 'x');
    await panel.getByRole('button', { name: 'Save variables' }).click();
    await rows.nth(2).getByText('not starting with a digit').waitFor();
    await panel.getByRole('button', { name: 'Delete 1bad' }).click();
    await panel.getByRole('button', { name: 'Save variables' }).click();
    await panel.waitFor({ state: 'detached' });

    // Opened again: the secret is masked, never in the page; it can be replaced.
    await page.getByRole('button', { name: 'Variables' }).click();
    panel = page.getByRole('dialog', { name: 'Stack variables' });
    await rows.first().getByTestId('masked-value').waitFor();
    expect(await rows.nth(1).getByLabel('Value').inputValue()).toBe('visible');
    expect(await page.content()).not.toContain('top-secret-42');
    await screenshot(page, 'stacks-variables');
    problems.push(...(await audit(page, 'variables panel')));
    expect(problems).toEqual([]);
    await panel.getByRole('button', { name: 'Replace the value of GREETING' }).click();
    await rows.first().getByLabel('Value').fill('new-secret-43');
    await panel.getByRole('button', { name: 'Delete PLAIN' }).click();
    await panel.getByRole('button', { name: 'Save variables' }).click();
    await panel.waitFor({ state: 'detached' });
    const saved = await api(page, 'GET', '/api/hosts/local/stack-variables');
    expect(saved.json).toEqual({
      variables: [{ name: 'GREETING', value: 'new-secret-43', secret: true }],
    });

    for (const name of [folderName, archiveName])
      expect((await api(page, 'DELETE', `/api/hosts/local/stacks/${name}`)).status).toBe(204);
    await context.close();
  }, 120_000);

  it('lists a stack the compose CLI started as read-only, adopts it, then plans and applies it', async () => {
    const project = `uicli-${suffix}`;
    const folder = join(scratch, project);
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'docker-compose.yml'),
      ['version: "2.4"', 'services:', ...sleeper('app'), ''].join('\n'),
    );
    const up = await composeCli(['-p', project, 'up', '-d'], folder);
    expect(up.code, up.stderr).toBe(0);
    try {
      const { context, page } = await ui.newPage();
      await setupAndLogin(page);
      await navigate(page, 'Stacks');
      const row = stackRow(page, project);
      await row.getByText('compose CLI (read-only)').waitFor();
      await row.getByTestId('stack-state').filter({ hasText: 'running' }).waitFor();
      await row.getByRole('link', { name: project }).click();
      await page.getByRole('heading', { name: project, exact: true }).waitFor();
      // Read-only: no deploy, no editor, but it can be adopted.
      expect(await page.getByRole('button', { name: 'Deploy', exact: true }).count()).toBe(0);
      expect(await page.getByRole('tab', { name: 'Editor' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Adopt' }).click();
      await page
        .getByTestId('stack-outcome')
        .filter({ hasText: `Adopted ${project}` })
        .waitFor();
      await page.getByText('compose CLI, adopted').waitFor();
      await page.getByRole('tab', { name: 'Editor' }).waitFor();
      await page.getByRole('button', { name: 'Deploy', exact: true }).click();
      const panel = page.getByRole('dialog', { name: `Deploy ${project}` });
      await panel.getByTestId('plan').waitFor();
      await panel.getByRole('button', { name: /^Apply/ }).click();
      await panel.getByTestId('deploy-result').filter({ hasText: 'Deployed.' }).waitFor({
        timeout: 60_000,
      });
      await panel.getByRole('button', { name: 'Done' }).click();
      await page.getByTestId('stack-state').filter({ hasText: 'running' }).waitFor();
      // Its container, on the containers list, links back to the stack.
      await navigate(page, 'Containers');
      await page.getByRole('link', { name: project, exact: true }).first().click();
      await page.getByRole('heading', { name: project, exact: true }).waitFor();
      await context.close();
    } finally {
      await composeCli(['-p', project, 'down', '-t', '1'], folder);
    }
  }, 120_000);

  it('offers to plan again when the files change under a plan, and deletes stacks with or without their volumes', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    const name = `uistale-${suffix}`;
    const compose = (note: string): string =>
      [
        'services:',
        ...sleeper('db', [
          '    volumes: ["data:/data"]',
          '    environment:',
          `      NOTE: ${note}`,
        ]),
        'volumes:',
        '  data: {}',
        '',
      ].join('\n');
    await createStack(page, name, compose('first'));
    await openStack(page, name);
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    const panel = page.getByRole('dialog', { name: `Deploy ${name}` });
    await panel.getByTestId('plan').waitFor();
    // Someone else changes the file meanwhile.
    const changed = await api(page, 'PUT', `/api/hosts/local/stacks/${name}`, {
      files: { 'compose.yaml': compose('second') },
    });
    expect(changed.status).toBe(200);
    await panel.getByRole('button', { name: 'Apply', exact: true }).click();
    const stale = panel.getByRole('alert').filter({ hasText: 'This plan is out of date' });
    await stale.waitFor();
    expect(await stale.textContent()).toContain('compose.yaml');
    await screenshot(page, 'stacks-plan-stale');
    await stale.getByRole('button', { name: 'Plan again' }).click();
    await stale.waitFor({ state: 'detached' });
    await panel.getByTestId('plan').waitFor();
    await panel.getByRole('button', { name: 'Apply', exact: true }).click();
    await panel.getByTestId('deploy-result').filter({ hasText: 'Deployed.' }).waitFor({
      timeout: 60_000,
    });
    await panel.getByRole('button', { name: 'Done' }).click();
    await page.getByTestId('stack-state').filter({ hasText: 'running' }).waitFor();

    const volumesOf = async (project: string): Promise<string[]> => {
      const res = await api(page, 'GET', '/api/hosts/local/volumes');
      return (res.json as { volumes: { name: string; labels: Record<string, string> }[] }).volumes
        .filter((v) => v.labels['com.docker.compose.project'] === project)
        .map((v) => v.name);
    };
    expect(await volumesOf(name)).toEqual([`${name}_data`]);

    // Delete from its page, taking the volumes too: confirmed, then gone from the list.
    await page.getByRole('button', { name: `More actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    let confirm = page.getByRole('dialog', { name: `Delete ${name}?` });
    await confirm.getByLabel('Also remove the stack’s named volumes (their data is lost)').check();
    await confirm.getByRole('button', { name: 'Delete stack and volumes' }).click();
    await page.getByRole('heading', { name: 'Stacks', exact: true }).waitFor();
    await stackRow(page, name).waitFor({ state: 'detached' });
    expect(await volumesOf(name)).toEqual([]);

    // Delete from the list without the volumes: they stay.
    const kept = `uikeep-${suffix}`;
    await createStack(page, kept, compose('kept'));
    expect((await api(page, 'POST', `/api/hosts/local/stacks/${kept}/up`, {})).status).toBe(200);
    await page.reload();
    await stackRow(page, kept)
      .getByRole('button', { name: `Actions for ${kept}` })
      .click();
    await page.getByRole('menuitem', { name: 'Delete…' }).click();
    confirm = page.getByRole('dialog', { name: `Delete ${kept}?` });
    expect(await confirm.textContent()).toContain('Take it down first');
    await confirm.getByRole('button', { name: 'Delete stack', exact: true }).click();
    await page
      .getByTestId('stack-outcome')
      .filter({ hasText: `Deleted ${kept}` })
      .waitFor();
    await stackRow(page, kept).waitFor({ state: 'detached' });
    expect(await volumesOf(kept)).toEqual([`${kept}_data`]);
    expect((await api(page, 'DELETE', `/api/hosts/local/volumes/${kept}_data`)).status).toBe(200);
    await context.close();
  }, 180_000);

  it('shows a viewer the stacks read-only, and every stacks page fits a phone', async () => {
    const admin = await ui.newPage();
    await setupAndLogin(admin.page);
    const name = `uiview-${suffix}`;
    await createStack(admin.page, name, ['services:', ...sleeper('web'), ''].join('\n'));
    expect((await api(admin.page, 'POST', `/api/hosts/local/stacks/${name}/up`, {})).status).toBe(
      200,
    );
    const vars = await api(admin.page, 'PUT', '/api/hosts/local/stack-variables', {
      variables: [{ name: 'TOKEN', value: 'hidden-token-77', secret: true }],
    });
    expect(vars.status).toBe(200);
    await createUser(admin.page, {
      username: 'stackwatcher',
      password: 'watcher password 1',
      role: 'viewer',
    });

    const { context, page } = await ui.newPage();
    await login(page, 'stackwatcher', 'watcher password 1');
    await navigate(page, 'Stacks');
    const row = stackRow(page, name);
    await row.waitFor();
    expect(await page.getByRole('link', { name: 'New stack' }).count()).toBe(0);
    expect(await row.getByRole('button').count()).toBe(0);
    await page.getByRole('button', { name: 'Variables' }).click();
    const panel = page.getByRole('dialog', { name: 'Stack variables' });
    await panel.getByTestId('stack-variable').filter({ hasText: 'TOKEN' }).waitFor();
    expect(await panel.getByRole('textbox').count()).toBe(0);
    expect(await panel.getByRole('button', { name: /Save|Add|Delete/ }).count()).toBe(0);
    expect(await page.content()).not.toContain('hidden-token-77');
    await page.keyboard.press('Escape');
    await row.getByRole('link', { name }).click();
    await page.getByRole('heading', { name, exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Deploy', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: `More actions for ${name}` }).count()).toBe(0);
    await page.getByRole('tab', { name: 'Editor' }).click();
    const content = page.getByTestId('code-editor').locator('.cm-content');
    await content.waitFor();
    expect(await content.getAttribute('aria-readonly')).toBe('true');
    const before = await content.textContent();
    await content.click();
    await page.keyboard.insertText('typed by a viewer');
    expect(await content.textContent()).toBe(before);
    expect(await page.getByRole('button', { name: 'Save', exact: true }).count()).toBe(0);
    await context.close();

    // A phone: the list, each tab of the stack, New stack and its dialogs, for review.
    const phone = admin.page;
    await phone.setViewportSize({ width: 375, height: 812 });
    await phone.goto('/stacks');
    await stackRow(phone, name).waitFor();
    await screenshot(phone, 'stacks-375-list');
    await stackRow(phone, name).getByRole('link', { name }).click();
    await phone.getByRole('heading', { name, exact: true }).waitFor();
    const shown = {
      Services: phone.getByTestId('stack-services'),
      Logs: phone.getByTestId('stack-logs'),
      Editor: phone.getByTestId('code-editor').locator('.cm-content'),
      History: phone.getByTestId('stack-version').first(),
    };
    for (const [tab, content] of Object.entries(shown)) {
      await phone.getByRole('tab', { name: tab }).click();
      await content.waitFor();
      await screenshot(phone, `stacks-375-${tab.toLowerCase()}`);
    }
    await phone.getByRole('button', { name: 'Deploy', exact: true }).click();
    await phone
      .getByRole('dialog', { name: `Deploy ${name}` })
      .getByTestId('plan')
      .waitFor();
    await screenshot(phone, 'stacks-375-deploy');
    await phone.goto('/stacks/new');
    await phone.getByTestId('code-editor').locator('.cm-content').waitFor();
    await screenshot(phone, 'stacks-375-new');
    await phone.getByRole('button', { name: 'Upload…' }).click();
    await phone.getByRole('dialog', { name: 'Upload a stack' }).waitFor();
    await screenshot(phone, 'stacks-375-upload');
    await phone.keyboard.press('Escape');
    await phone.goto('/stacks');
    await phone.getByRole('button', { name: 'Variables' }).click();
    await phone
      .getByRole('dialog', { name: 'Stack variables' })
      .getByTestId('masked-value')
      .waitFor();
    await screenshot(phone, 'stacks-375-variables');
    await phone.setViewportSize({ width: 1366, height: 860 });
    await screenshot(phone, 'stacks-1366-variables');
    await phone.keyboard.press('Escape');
    await stackRow(phone, name).waitFor();
    await screenshot(phone, 'stacks-1366-list');
    await stackRow(phone, name).getByRole('link', { name }).click();
    await phone.getByTestId('stack-services').waitFor();
    await screenshot(phone, 'stacks-1366-stack');
    expect((await api(phone, 'DELETE', `/api/hosts/local/stacks/${name}?down=true`)).status).toBe(
      204,
    );
    await admin.context.close();
  }, 180_000);
});
