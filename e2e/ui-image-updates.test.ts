import type { BuildResult, ContainerDetail, TransferResult } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRegistry, type TestRegistry } from '../scripts/lib/test-registry.mjs';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { api, screenshot, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/**
 * A container's image update from its page, in a real Chromium against a real engine and
 * registry: "Pull and update now" moves it to its tag's new image, and "Roll back" returns it.
 */
const suffix = Math.random().toString(16).slice(2, 8);
const ref = `berth-ui-upd-${suffix}/app:1`;
const name = `ui-upd-${suffix}`;

let ui: UiHarness;
let registry: TestRegistry;

beforeAll(async () => {
  registry = await startTestRegistry();
  ui = await startUi();
}, 90_000);

afterAll(async () => {
  const { context, page } = await ui.newPage();
  await setupAndLogin(page);
  await api(page, 'DELETE', `/api/hosts/local/containers/${name}?force=true`);
  const image = `${registry.host}/${ref}`;
  await api(page, 'DELETE', `/api/hosts/local/images/${encodeURIComponent(image)}?force=true`);
  await context.close();
  await ui.stop();
  await registry.stop();
});

describe('image updates on the container page', () => {
  it('updates a container to the new image of its tag, then rolls it back', async () => {
    const { context, page } = await ui.newPage();
    try {
      await setupAndLogin(page);
      const image = `${registry.host}/${ref}`;
      /** Builds a version of the image under the one tag and pushes it: its image id. */
      const release = async (marker: string): Promise<string> => {
        const built = await api(page, 'POST', '/api/hosts/local/images/build', {
          dockerfile: `FROM ${TEST_IMAGE}\nRUN echo ${marker} > /version.txt\n`,
          tags: [image],
        });
        const result = built.json as BuildResult;
        expect(result.ok, result.error ?? '').toBe(true);
        const pushed = await api(page, 'POST', '/api/hosts/local/images/push', { image });
        expect((pushed.json as TransferResult).status).toBe('done');
        return result.imageId ?? '';
      };
      const imageId = async (): Promise<string> =>
        ((await api(page, 'GET', `/api/hosts/local/containers/${name}`)).json as ContainerDetail)
          .imageId;

      const first = await release(`one-${suffix}`);
      const made = await api(page, 'POST', '/api/hosts/local/containers', {
        name,
        image,
        command: ['sleep', '600'],
        stopTimeoutS: 1,
        validateSeconds: 0,
      });
      expect(made.status, JSON.stringify(made.json)).toBe(201);
      const second = await release(`two-${suffix}`);
      expect(second).not.toBe(first);

      await page.goto(`/containers/${name}`);
      await page.getByRole('tab', { name: 'Processes & updates' }).click();
      const panel = page.getByRole('region', { name: 'Updates and processes' });
      await panel.getByRole('button', { name: 'Pull and update now' }).click();
      const updated = panel.getByRole('listitem').filter({ hasText: '· update ·' });
      await updated.filter({ hasText: 'updated' }).waitFor({ timeout: 60_000 });
      expect(await imageId()).toBe(second);

      await updated.getByRole('button', { name: 'Roll back to before this' }).click();
      await panel
        .getByRole('listitem')
        .filter({ hasText: '· rollback ·' })
        .filter({ hasText: 'updated' })
        .waitFor({ timeout: 60_000 });
      expect(await imageId()).toBe(first);
      expect(await panel.getByRole('alert').count()).toBe(0);
    } catch (err) {
      await screenshot(page, 'image-update-failed');
      throw err;
    } finally {
      await context.close();
    }
    // Each update and rollback waits out its 10 s validation on the running container.
  }, 180_000);
});
