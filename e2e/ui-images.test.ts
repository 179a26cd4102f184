import type { BuildResult } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIsolatedEngine, type IsolatedEngine } from '../scripts/lib/isolated-engine.mjs';
import { buildTestImages } from '../scripts/lib/test-images.mjs';
import { startTestRegistry } from '../scripts/lib/test-registry.mjs';
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
import {
  closeDialog,
  detailsDialog,
  imageRow,
  openDetails,
  openHeaderDialog,
  rowAction,
} from './images-page.js';

/** The Images page in a real Chromium: build, tag, history, registries, prune, viewer's view. */
const suffix = Math.random().toString(16).slice(2, 8);
const repo = `ui-img-${suffix}`;

let ui: UiHarness;
/** Every tag a test made, removed at the end (with the image when it is the last tag). */
const made = new Set<string>();

// A real prune of every dangling image runs here: on an engine of this file's own, so that it
// cannot take images from the suites running beside it.
let engine: IsolatedEngine;

beforeAll(async () => {
  engine = await startIsolatedEngine({ bridge: false, quiet: true });
  await buildTestImages(engine.socketPath);
  ui = await startUi({ dockerHost: engine.host });
}, 180_000);

afterAll(async () => {
  const { context, page } = await ui.newPage();
  await setupAndLogin(page);
  for (const ref of made) {
    await api(page, 'DELETE', `/api/hosts/local/images/${encodeURIComponent(ref)}?force=true`);
  }
  await context.close();
  await ui.stop();
  await engine.stop();
});

describe('the Images page', () => {
  it('builds from a Dockerfile with a live log, shows a failed step, tags the image and opens its history', async () => {
    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      await navigate(page, 'Images');
      const tag = `${repo}/app:1`;
      made.add(tag);
      const panel = await openHeaderDialog(page, 'Build image');
      await panel.getByLabel('Dockerfile').fill(
        [
          `FROM ${TEST_IMAGE}`,
          'ARG GREETING',
          'RUN echo built > /built.txt',
          // Long enough that the test sees the log while the build still runs.
          'RUN echo "live $GREETING" && sleep 5',
          'CMD ["sh"]',
        ].join('\n'),
      );
      await panel.getByLabel('Tags (separated by spaces)').fill(tag);
      await panel.getByLabel('Build arguments (NAME=value per line)').fill('GREETING=from-the-ui');
      await panel.getByRole('button', { name: 'Build', exact: true }).click();

      // The log streams over the host events while the request is still open.
      await page
        .getByTestId('build-log')
        .filter({ hasText: 'Step 4/5 : RUN echo "live $GREETING" && sleep 5' })
        .waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('build-status').textContent()).toContain('building');
      await page
        .getByTestId('build-status')
        .filter({ hasText: 'built' })
        .waitFor({ timeout: 60_000 });
      const log = (await page.getByTestId('build-log').textContent()) ?? '';
      expect(log).toContain('live from-the-ui');
      expect(log).toContain('Successfully tagged');
      expect(
        await page.getByTestId('docker-command').filter({ hasText: 'docker build' }).textContent(),
      ).toBe(`docker build --tag ${tag} --build-arg GREETING=from-the-ui .`);
      await screenshot(page, 'images-build');

      // A failing step: the page names it and the engine's reason.
      const broken = `${repo}/broken:1`;
      await panel.getByLabel('Dockerfile').fill(`FROM ${TEST_IMAGE}\nRUN exit 3`);
      await panel.getByLabel('Tags (separated by spaces)').fill(broken);
      await panel.getByLabel('Build arguments (NAME=value per line)').fill('');
      await panel.getByRole('button', { name: 'Build', exact: true }).click();
      await page
        .getByTestId('build-status')
        .filter({ hasText: 'failed' })
        .waitFor({ timeout: 60_000 });
      const failure = (await page.getByTestId('build-failure').textContent()) ?? '';
      expect(failure).toContain('Step 2/2 : RUN exit 3');
      expect(failure).toContain('non-zero code: 3');
      expect(
        (await api(page, 'GET', `/api/hosts/local/images?reference=${encodeURIComponent(broken)}`))
          .json,
      ).toEqual({ images: [], stale: null });
      await screenshot(page, 'images-build-failed');
      await closeDialog(panel);

      // Tag the built image from its details; the new tag shows on the same row.
      await imageRow(page, tag).waitFor();
      // "Add a tag…" opens the details with the form ready to type in.
      await rowAction(imageRow(page, tag), 'Add a tag…');
      const card = detailsDialog(page);
      await card.getByRole('heading', { name: 'Add a tag' }).waitFor();
      // Typed without a click: the focus is already in the field.
      await page.keyboard.type(`${repo}/copy`);
      expect(await card.getByLabel('Repository').inputValue()).toBe(`${repo}/copy`);
      await card.getByLabel('Tag', { exact: true }).fill('2');
      await card.getByRole('button', { name: 'Add tag' }).click();
      made.add(`${repo}/copy:2`);
      expect(await card.getByTestId('docker-command').textContent()).toMatch(
        new RegExp(`^docker tag sha256:[0-9a-f]{64} ${repo}/copy:2$`),
      );
      await imageRow(page, `${repo}/copy:2`).filter({ hasText: tag }).waitFor();
      expect(await card.textContent()).toContain(`${repo}/copy:2`);

      // A bad repository name is refused in the form, before any request.
      await card.getByLabel('Repository').fill('Not Valid');
      await card.getByRole('button', { name: 'Add tag' }).click();
      await card.getByText('a repository like myapp').waitFor();

      // The layers, in the details.
      await card.getByRole('heading', { name: 'History', exact: true }).waitFor();
      const history = card.getByTestId('image-history');
      await history.filter({ hasText: 'echo built > /built.txt' }).waitFor();
      expect(await history.textContent()).toContain('sleep 5');
      await screenshot(page, 'images-history');
    } finally {
      await context.close();
    }
  });

  it('adds registry credentials, tests the login without ever showing the password, and forgets them', async () => {
    const auth = { username: 'berth-ui', password: `registry-secret-${suffix}` };
    const registry = await startTestRegistry({ auth });
    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      await navigate(page, 'Images');
      const registries = await openHeaderDialog(page, 'Registries');
      await registries.getByText('No registry credentials yet.').waitFor();

      const add = async (name: string, password: string): Promise<void> => {
        if (!(await registries.getByLabel('Registry host').isVisible()))
          await registries.getByText('Add a registry').click();
        await registries.getByLabel('Registry host').fill(registry.host);
        await registries.getByLabel('Display name').fill(name);
        await registries.getByLabel('Registry username').fill(auth.username);
        await registries.getByLabel('Password or token').fill(password);
        await registries.getByRole('button', { name: 'Add registry' }).click();
        await registries.getByTestId('registry').filter({ hasText: name }).waitFor();
        expect(await registries.getByLabel('Password or token').inputValue()).toBe('');
      };
      await add('test registry', auth.password);
      await registries.getByRole('button', { name: 'Test login to test registry' }).click();
      await registries
        .getByTestId('registry-test')
        .filter({ hasText: `Logged in to ${registry.host} as ${auth.username}` })
        .waitFor({ timeout: 30_000 });
      expect(await registries.getByTestId('registry-test').textContent()).toContain('login ok');
      expect(await page.content()).not.toContain(auth.password);
      expect(JSON.stringify((await api(page, 'GET', '/api/registries')).json)).not.toContain(
        auth.password,
      );
      await screenshot(page, 'images-registries');

      // A wrong password: the test says so. (The same host again is refused, so forget first.)
      await registries.getByRole('button', { name: 'Forget test registry' }).click();
      const dialog = page.getByRole('dialog', { name: 'Forget test registry?' });
      expect(await dialog.textContent()).toContain(registry.host);
      await dialog.getByRole('button', { name: 'Forget credentials' }).click();
      await registries.getByText('No registry credentials yet.').waitFor();
      await add('wrong password', 'not the password');
      await registries.getByRole('button', { name: 'Test login to wrong password' }).click();
      await registries
        .getByTestId('registry-test')
        .filter({ hasText: 'login failed' })
        .waitFor({ timeout: 30_000 });
      await registries.getByRole('button', { name: 'Forget wrong password' }).click();
      await page
        .getByRole('dialog', { name: 'Forget wrong password?' })
        .getByRole('button', { name: 'Forget credentials' })
        .click();
      await registries.getByText('No registry credentials yet.').waitFor();
      expect((await api(page, 'GET', '/api/registries')).json).toEqual({ registries: [] });
    } finally {
      await context.close();
      await registry.stop();
    }
  });

  it('previews a prune naming the dangling image, keeps everything on cancel, then prunes it', async () => {
    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      // Building one tag twice with different content leaves the first image without a tag.
      const tag = `${repo}/dangle:1`;
      made.add(tag);
      const build = async (content: string): Promise<BuildResult> => {
        const res = await api(page, 'POST', '/api/hosts/local/images/build', {
          dockerfile: `FROM ${TEST_IMAGE}\nRUN echo ${content} > /content.txt\n`,
          tags: [tag],
        });
        const result = res.json as BuildResult;
        expect(result.ok).toBe(true);
        return result;
      };
      const first = await build(`first-${suffix}`);
      await build(`second-${suffix}`);
      const shortId = (first.imageId ?? '').replace(/^sha256:/, '').slice(0, 12);
      expect(shortId).toHaveLength(12);

      await navigate(page, 'Images');
      const orphan = imageRow(page, shortId);
      await orphan.waitFor();
      expect(await orphan.textContent()).toContain('dangling');

      // Unused mode names the still-tagged image too; cancelling removes nothing.
      const prune = await openHeaderDialog(page, 'Prune images');
      await prune.getByLabel('Prune mode').selectOption('unused');
      await prune.getByLabel('Older than (days)').fill('0');
      await prune.getByRole('button', { name: 'Preview prune…' }).click();
      const unusedPreview = page.getByTestId('prune-preview');
      await unusedPreview.filter({ hasText: tag }).waitFor();
      await page
        .getByRole('dialog', { name: /^Prune \d+ unused images?\?$/ })
        .getByRole('button', { name: 'Cancel' })
        .click();
      await unusedPreview.waitFor({ state: 'detached' });
      await imageRow(page, tag).waitFor();
      expect(await orphan.count()).toBe(1);

      await prune.getByLabel('Prune mode').selectOption('dangling');
      await prune.getByRole('button', { name: 'Preview prune…' }).click();
      const dialog = page.getByRole('dialog', { name: /^Prune \d+ dangling images?\?$/ });
      await dialog.getByTestId('prune-preview').filter({ hasText: shortId }).waitFor();
      expect(await dialog.getByTestId('prune-preview').textContent()).not.toContain(tag);
      await screenshot(page, 'images-prune');
      await dialog.getByRole('button', { name: /^Remove \d+ images?$/ }).click();
      await page.getByTestId('prune-result').filter({ hasText: 'pruned' }).waitFor();
      expect(
        await page.getByTestId('docker-command').filter({ hasText: 'prune' }).textContent(),
      ).toBe('docker image prune --force');
      await orphan.waitFor({ state: 'detached' });
      await imageRow(page, tag).waitFor();
    } finally {
      await context.close();
    }
  });

  it('links an image to the containers using it, and shows a viewer no control that changes anything', async () => {
    const admin = await ui.newPage();
    await setupAndLogin(admin.page);
    const viewer = { username: `viewer-${suffix}`, password: 'viewer password 1' };
    await createUser(admin.page, { ...viewer, role: 'viewer' });
    const user = `ui-img-user-${suffix}`;
    const created = await api(admin.page, 'POST', '/api/hosts/local/containers', {
      name: user,
      image: `${repo}/app:1`,
      command: ['sleep', '600'],
      validateSeconds: 0,
      stopTimeoutS: 1,
    });
    expect(created.status).toBe(201);

    const { context, page } = await ui.newPage();
    try {
      await login(page, viewer.username, viewer.password);
      await navigate(page, 'Images');
      const row = imageRow(page, `${repo}/app:1`);
      await row.filter({ hasText: '1 container' }).waitFor();
      // No dialog is open yet: the page's own controls are all in view of these checks.
      const noControls = async (): Promise<void> => {
        for (const name of [
          'Build',
          'Pull',
          'Preview prune…',
          'Add tag',
          'Add registry',
          'Pull image',
          'Build image',
          'Load image',
          'Prune images',
          'Registries',
        ]) {
          expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
        }
        expect(await page.getByRole('button', { name: /^Remove / }).count()).toBe(0);
        expect(await page.getByRole('heading', { name: 'Registries' }).count()).toBe(0);
        expect(await page.getByText('Add a tag').count()).toBe(0);
        expect(await page.getByRole('link', { name: /^Save .* as a tar archive$/ }).count()).toBe(
          0,
        );
      };
      await noControls();
      // A viewer's menu holds the details only.
      await row.getByRole('button', { name: `Actions for ${repo}/app:1` }).click();
      expect(await page.getByRole('menuitem').allTextContents()).toEqual(['Details and history']);
      await page.keyboard.press('Escape');
      const card = await openDetails(page, `${repo}/app:1`);
      await card.getByRole('link', { name: user }).waitFor();
      await card.getByTestId('image-history').waitFor();
      // And the details (now the only part in view) offer no change either.
      await noControls();
      const forged = await api(page, 'POST', '/api/hosts/local/images/prune', {
        mode: 'dangling',
        dryRun: true,
      });
      expect(forged.status).toBe(403);

      await card.getByRole('link', { name: user }).click();
      await page.getByRole('heading', { name: user, exact: true }).waitFor();
      await page.getByTestId('container-state').filter({ hasText: 'running' }).waitFor();
    } finally {
      await context.close();
      await api(admin.page, 'DELETE', `/api/hosts/local/containers/${user}?force=true`);
      await admin.context.close();
    }
  });
});
