import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { api, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/** Berth in Chromium for one test file, and the containers the file made, removed after it. */
export interface ContainersUi {
  ui: () => UiHarness;
  /** Creates (and starts, unless told not to) a test-image container; answers its id. */
  create: (page: Page, name: string, spec: Record<string, unknown>) => Promise<string>;
}

export function containersUi(): ContainersUi {
  const made: string[] = [];
  let harness: UiHarness | undefined;
  const ui = (): UiHarness => {
    if (!harness) throw new Error('the browser harness has not started');
    return harness;
  };
  beforeAll(async () => {
    harness = await startUi();
  }, 120_000);
  afterAll(async () => {
    const { context, page } = await ui().newPage();
    await setupAndLogin(page);
    for (const name of made)
      await api(page, 'DELETE', `/api/hosts/local/containers/${name}?force=true`);
    await context.close();
    await ui().stop();
  });
  return {
    ui,
    create: async (page, name, spec) => {
      const res = await api(page, 'POST', '/api/hosts/local/containers', {
        name,
        image: TEST_IMAGE,
        command: ['sleep', '600'],
        stopTimeoutS: 1,
        validateSeconds: 0,
        ...spec,
      });
      expect(res.status).toBe(201);
      made.push(name);
      return (res.json as { container: { id: string } }).container.id;
    },
  };
}
