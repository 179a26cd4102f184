import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { api, screenshot, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/** The dashboard as a user reads it: counts that are right in number and in words. */
const suffix = Math.random().toString(16).slice(2, 8);
const names = [`ui-dash-up-${suffix}`, `ui-dash-exited-${suffix}`, `ui-dash-created-${suffix}`];
const volume = `ui-dash-${suffix}`;

let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi();
}, 120_000);

afterAll(async () => {
  await ui.stop();
});

const plural = (n: number, noun: string): string => `${n} ${n === 1 ? noun : `${noun}s`}`;

describe('the dashboard in Chromium', () => {
  it('says "…" rather than 0 containers while the list is on its way', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    const made = await api(page, 'POST', '/api/hosts/local/containers', {
      name: names[0],
      image: TEST_IMAGE,
      command: ['sh', '-c', 'sleep 600'],
      stopTimeoutS: 1,
      validateSeconds: 0,
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    // The fleet answer is held until the page has been read.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const seen = new Promise<void>((resolve) => {
      void page.route('**/api/fleet', async (route: Route) => {
        resolve();
        await held;
        await route.continue();
      });
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await seen;
    expect(await page.getByTestId('container-count').textContent()).toBe('…');
    release();
    await page.getByTestId('container-count').filter({ hasText: /^\d+$/ }).waitFor();
    expect(Number(await page.getByTestId('container-count').textContent())).toBeGreaterThan(0);
    await context.close();
  });

  it('counts containers by state and names each resource count in the right number', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    for (const [name, body] of [
      [names[1], { command: ['sh', '-c', 'exit 3'] }],
      [names[2], { autoStart: false }],
    ] as const) {
      const made = await api(page, 'POST', '/api/hosts/local/containers', {
        name,
        image: TEST_IMAGE,
        validateSeconds: 0,
        ...body,
      });
      expect(made.status, JSON.stringify(made.json)).toBe(201);
    }
    expect((await api(page, 'POST', '/api/hosts/local/volumes', { name: volume })).status).toBe(
      201,
    );
    await page.reload();
    // The local host's card of the fleet.
    const resources = page.locator('[data-testid=host-card][data-host=local]');
    for (const [kind, noun] of [
      ['images', 'image'],
      ['networks', 'network'],
      ['volumes', 'volume'],
    ] as const) {
      const list = (await api(page, 'GET', `/api/hosts/local/${kind}`)).json as Record<
        string,
        unknown[]
      >;
      const n = list[kind]?.length ?? -1;
      // A link to the page that lists them, saying "1 volume", never "1 volumes".
      await resources.getByRole('link', { name: plural(n, noun), exact: true }).waitFor();
    }
    const containers = (await api(page, 'GET', '/api/hosts/local/containers')).json as {
      containers: { state: string }[];
    };
    await page
      .getByTestId('container-count')
      .filter({ hasText: String(containers.containers.length) })
      .waitFor();
    // The capacity card says what the sizing rests on, not just a label ("low-end").
    const info = (await api(page, 'GET', '/api/hosts/local/info')).json as {
      hardware: { cpus: number };
    };
    await page
      .getByTestId('hardware-profile')
      .filter({
        hasText: new RegExp(
          `^Sized for ${plural(info.hardware.cpus, 'CPU')} and [\\d.]+ GiB of memory: a [a-z-]+ host`,
        ),
      })
      .waitFor();
    await screenshot(page, 'dashboard-states');
    for (const name of names)
      await api(page, 'DELETE', `/api/hosts/local/containers/${name}?force=true`);
    await api(page, 'DELETE', `/api/hosts/local/volumes/${volume}`);
    await context.close();
  });
});
