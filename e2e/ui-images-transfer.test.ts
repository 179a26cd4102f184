import type { BuildResult, RegistryView } from '@berth/contract';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRegistry, type TestRegistry } from '../scripts/lib/test-registry.mjs';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import {
  api,
  createUser,
  downloadVia,
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

/**
 * The Images page's transfers in a real Chromium against a real engine and registries: push and
 * pull with per-layer progress, cancel of a hanging pull, save and load of an archive, a build
 * from an uploaded context, and editing a registry's password.
 */
const suffix = Math.random().toString(16).slice(2, 8);
const work = mkdtempSync(join(tmpdir(), 'berth-ui-transfer-'));

let ui: UiHarness;
let registry: TestRegistry;
/** Accepts connections and never answers: a pull from it hangs until cancelled. */
let silent: Server;
const held: Socket[] = [];
/** Every tag a test made, removed at the end. */
const made = new Set<string>();

beforeAll(async () => {
  registry = await startTestRegistry();
  silent = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  ui = await startUi();
}, 90_000);

afterAll(async () => {
  const { context, page } = await ui.newPage();
  await setupAndLogin(page);
  for (const ref of made) {
    await api(page, 'DELETE', `/api/hosts/local/images/${encodeURIComponent(ref)}?force=true`);
  }
  await context.close();
  await ui.stop();
  for (const socket of held) socket.destroy();
  silent.close();
  await registry.stop();
  rmSync(work, { recursive: true, force: true });
});

/** The digest the registry itself serves for a tag. */
async function registryDigest(repository: string, tag: string): Promise<string | null> {
  const res = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept: [
        'application/vnd.docker.distribution.manifest.v2+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.oci.image.index.v1+json',
      ].join(', '),
    },
  });
  return res.ok ? res.headers.get('docker-content-digest') : null;
}

describe('image transfers on the Images page', () => {
  it('pushes a tag with per-layer progress and its digest, then pulls it back after removal', async () => {
    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      const repository = `berth-ui-${suffix}/pushed`;
      const ref = `${registry.host}/${repository}:1`;
      made.add(ref);
      // An image of this test's own: the shared test image collects tags from the suites
      // running beside this one, and its card is titled by whichever sorts first.
      const built = await api(page, 'POST', '/api/hosts/local/images/build', {
        dockerfile: `FROM ${TEST_IMAGE}\nRUN echo ${suffix} > /pushed.txt\n`,
        tags: [ref],
      });
      expect((built.json as BuildResult).ok).toBe(true);
      await navigate(page, 'Images');

      // Push belongs to the image: its row's menu opens the dialog on its tag.
      await rowAction(imageRow(page, ref), 'Push…');
      const push = page.getByRole('dialog', { name: `Push ${ref}`, exact: true });
      expect(await push.getByLabel('Tag to push').inputValue()).toBe(ref);
      await push.getByRole('button', { name: 'Push', exact: true }).click();
      await push
        .getByTestId('push-result')
        .filter({ hasText: 'done' })
        .waitFor({ timeout: 60_000 });
      // Every layer of a first push into an empty registry ends "Pushed".
      const layers = push.getByTestId('push-layers').getByRole('listitem');
      expect(await layers.count()).toBeGreaterThan(0);
      expect(await layers.first().textContent()).toMatch(/Pushed|Layer already exists/);
      const digest = (await push.getByTestId('push-digest').textContent()) ?? '';
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await registryDigest(repository, '1')).toBe(digest);
      expect(await push.getByTestId('docker-command').textContent()).toBe(`docker push ${ref}`);
      expect(await push.getByRole('button', { name: /^Cancel the push/ }).count()).toBe(0);
      await closeDialog(push);

      // Gone from the host, then back from the registry with the same digest.
      expect(
        (await api(page, 'DELETE', `/api/hosts/local/images/${encodeURIComponent(ref)}`)).status,
      ).toBe(200);
      await imageRow(page, ref).waitFor({ state: 'detached' });
      const pull = await openHeaderDialog(page, 'Pull image');
      await pull.getByLabel('Image', { exact: true }).fill(ref);
      await pull.getByRole('button', { name: 'Pull', exact: true }).click();
      await pull
        .getByTestId('pull-result')
        .filter({ hasText: 'done' })
        .waitFor({ timeout: 60_000 });
      expect(await pull.getByTestId('pull-digest').textContent()).toBe(digest);
      expect(await pull.getByTestId('pull-layers').getByRole('listitem').count()).toBeGreaterThan(
        0,
      );
      expect(await pull.getByTestId('pull-progress').textContent()).toContain('done');
      expect(await pull.getByTestId('docker-command').textContent()).toBe(`docker pull ${ref}`);
      await imageRow(page, ref).waitFor();
      await screenshot(page, 'images-transfer');
    } finally {
      await context.close();
    }
  });

  it('cancels a pull from a registry that never answers', async () => {
    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      await navigate(page, 'Images');
      const address = silent.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const ref = `127.0.0.1:${port}/stuck/image:1`;
      const pull = await openHeaderDialog(page, 'Pull image');
      await pull.getByLabel('Image', { exact: true }).fill(ref);
      await pull.getByRole('button', { name: 'Pull', exact: true }).click();
      await pull.getByTestId('pull-result').filter({ hasText: 'running' }).waitFor();
      expect(await pull.getByRole('button', { name: 'Pull', exact: true }).isDisabled()).toBe(true);
      await pull.getByRole('button', { name: `Cancel the pull of ${ref}` }).click();
      await pull.getByTestId('pull-result').filter({ hasText: 'cancelled' }).waitFor();
      expect(await pull.getByRole('button', { name: /^Cancel the pull/ }).count()).toBe(0);
      expect(await pull.getByRole('button', { name: 'Pull', exact: true }).isDisabled()).toBe(
        false,
      );
      expect(
        (await api(page, 'GET', `/api/hosts/local/images?reference=${encodeURIComponent(ref)}`))
          .json,
      ).toEqual({ images: [], stale: null });
    } finally {
      await context.close();
    }
  });

  it('saves an image as a tar, removes it, and loads the archive back', async () => {
    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      // An image of its own, so removing it really deletes it.
      const tag = `ui-saved-${suffix}:1`;
      made.add(tag);
      const built = await api(page, 'POST', '/api/hosts/local/images/build', {
        dockerfile: `FROM ${TEST_IMAGE}\nRUN echo ${suffix} > /saved.txt\n`,
        tags: [tag],
      });
      expect((built.json as BuildResult).ok).toBe(true);
      await navigate(page, 'Images');

      // The row's menu starts the same download.
      const [fromMenu] = await Promise.all([
        page.waitForEvent('download'),
        rowAction(imageRow(page, tag), 'Save as tar'),
      ]);
      expect(fromMenu.suggestedFilename()).toBe(`ui-saved-${suffix}_1.tar`);
      const details = await openDetails(page, tag);
      const download = await downloadVia(
        page,
        details.getByRole('link', { name: `Save ${tag} as a tar archive` }),
      );
      expect(download.filename).toBe(`ui-saved-${suffix}_1.tar`);
      const archive = join(work, download.filename);
      copyFileSync(download.path, archive);
      const entries = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).split('\n');
      expect(entries).toContain('manifest.json');
      const manifest = execFileSync('tar', ['-xOf', archive, 'manifest.json'], {
        encoding: 'utf8',
      });
      expect(JSON.parse(manifest)).toEqual([expect.objectContaining({ RepoTags: [tag] })]);

      await closeDialog(details);
      await rowAction(imageRow(page, tag), 'Remove…');
      await page
        .getByRole('dialog', { name: `Remove ${tag}?` })
        .getByRole('button', { name: 'Remove' })
        .click();
      await imageRow(page, tag).waitFor({ state: 'detached' });

      const load = await openHeaderDialog(page, 'Load image');
      await load.getByLabel('Image archive (from docker save)').setInputFiles(archive);
      await load.getByRole('button', { name: 'Load', exact: true }).click();
      await load.getByTestId('load-result').filter({ hasText: tag }).waitFor({ timeout: 60_000 });
      expect(await load.getByRole('list', { name: 'Loaded images' }).textContent()).toBe(tag);
      expect(await load.getByTestId('docker-command').textContent()).toContain('docker load');
      await imageRow(page, tag).waitFor();
    } finally {
      await context.close();
    }
  });

  it('builds from an uploaded .tar.gz context with its own Dockerfile path', async () => {
    const dir = join(work, 'context');
    mkdirSync(join(dir, 'docker'), { recursive: true });
    writeFileSync(join(dir, 'greeting.txt'), `hello from the context ${suffix}\n`);
    writeFileSync(
      join(dir, 'docker', 'Dockerfile.ui'),
      `FROM ${TEST_IMAGE}\nCOPY greeting.txt /greeting.txt\nRUN cat /greeting.txt\n`,
    );
    const archive = join(work, 'context.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', dir, '.']);
    const tag = `ui-context-${suffix}:1`;
    made.add(tag);

    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      await navigate(page, 'Images');
      const build = await openHeaderDialog(page, 'Build image');
      await build.getByLabel('Uploaded context (.tar or .tar.gz)').check();
      await build.getByLabel('Tags (separated by spaces)').fill(tag);
      // No archive chosen: the form says so and sends nothing.
      await build.getByRole('button', { name: 'Build', exact: true }).click();
      await build.getByText('Choose a .tar or .tar.gz holding a Dockerfile').waitFor();

      await build.getByLabel('Build context archive').setInputFiles(archive);
      await build.getByLabel('Dockerfile path in the context').fill('docker/Dockerfile.ui');
      await build.getByRole('button', { name: 'Build', exact: true }).click();
      await build
        .getByTestId('build-status')
        .filter({ hasText: 'built' })
        .waitFor({ timeout: 60_000 });
      expect(await build.getByTestId('build-log').textContent()).toContain(
        `hello from the context ${suffix}`,
      );
      expect(await build.getByTestId('docker-command').textContent()).toContain('docker build');
      await imageRow(page, tag).waitFor();
    } finally {
      await context.close();
    }
  });

  it("changes a registry's password in the form without ever showing it, and the login test passes", async () => {
    const auth = { username: 'berth-edit', password: `edited-secret-${suffix}` };
    const guarded = await startTestRegistry({ auth });
    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      const created = await api(page, 'POST', '/api/registries', {
        name: 'guarded',
        host: guarded.host,
        username: auth.username,
        password: `stale-secret-${suffix}`,
      });
      expect(created.status).toBe(201);
      const id = (created.json as RegistryView).id;
      await navigate(page, 'Images');
      const panel = await openHeaderDialog(page, 'Registries');
      const row = panel.getByTestId('registry').filter({ hasText: 'guarded' });
      await row.getByRole('button', { name: 'Test login to guarded' }).click();
      await row
        .getByTestId('registry-test')
        .filter({ hasText: 'login failed' })
        .waitFor({ timeout: 30_000 });

      await row.getByRole('button', { name: 'Edit guarded' }).click();
      const form = row.getByRole('form', { name: 'Edit guarded' });
      expect(await form.getByLabel('New password or token').inputValue()).toBe('');
      expect(await form.getByLabel('Username').inputValue()).toBe(auth.username);
      await form.getByLabel('New password or token').fill(auth.password);
      await form.getByRole('button', { name: 'Save changes' }).click();
      await row.getByTestId('registry-saved').filter({ hasText: 'new password stored' }).waitFor();
      expect(await form.count()).toBe(0);

      await row.getByRole('button', { name: 'Test login to guarded' }).click();
      await row
        .getByTestId('registry-test')
        .filter({ hasText: `Logged in to ${guarded.host} as ${auth.username}` })
        .waitFor({ timeout: 30_000 });
      expect(await row.getByTestId('registry-test').textContent()).toContain('login ok');
      expect(await page.content()).not.toContain(auth.password);
      expect(JSON.stringify((await api(page, 'GET', `/api/registries/${id}`)).json)).not.toContain(
        auth.password,
      );
      // Reopened, the form still shows no password.
      await row.getByRole('button', { name: 'Edit guarded' }).click();
      expect(await form.getByLabel('New password or token').inputValue()).toBe('');
      await form.getByRole('button', { name: 'Cancel' }).click();
      expect((await api(page, 'DELETE', `/api/registries/${id}`)).status).toBe(204);
    } finally {
      await context.close();
      await guarded.stop();
    }
  });

  it('shows a viewer no push, load, save, cancel or registry controls', async () => {
    const admin = await ui.newPage();
    await setupAndLogin(admin.page);
    const viewer = { username: `viewer-${suffix}`, password: 'viewer password 1' };
    await createUser(admin.page, { ...viewer, role: 'viewer' });
    await admin.context.close();
    const { context, page } = await ui.newPage();
    try {
      await login(page, viewer.username, viewer.password);
      await navigate(page, 'Images');
      const first = page.getByTestId('image-row').first();
      await first.waitFor();
      // The page itself, then an image's details (the only part in view while open).
      const noControls = async (): Promise<void> => {
        for (const name of ['Push', 'Pull', 'Load', 'Build', 'Pull image', 'Load image']) {
          expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
        }
        expect(await page.getByRole('button', { name: 'Build image' }).count()).toBe(0);
        expect(await page.getByRole('link', { name: /^Save .* as a tar archive$/ }).count()).toBe(
          0,
        );
        expect(await page.getByRole('button', { name: /^(Cancel the|Edit )/ }).count()).toBe(0);
        expect(await page.locator('input[type="file"]').count()).toBe(0);
      };
      await noControls();
      await first.getByRole('button', { name: /^Actions for / }).click();
      for (const item of ['Push…', 'Save as tar', 'Remove…']) {
        expect(await page.getByRole('menuitem', { name: item }).count()).toBe(0);
      }
      await page.getByRole('menuitem', { name: 'Details and history' }).click();
      await detailsDialog(page).getByTestId('image-history').waitFor();
      await noControls();
    } finally {
      await context.close();
    }
  });
});
