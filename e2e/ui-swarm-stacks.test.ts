import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSwarmEngine,
  type SwarmEngine,
  SWARM_SETUP_TIMEOUT,
} from '../packages/server/src/testing/swarm-engine.js';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import { audit } from './ui-axe.js';
import { api, navigate, screenshot, setupAndLogin, startUi, type UiHarness } from './ui-harness.js';

/** A Berth stack deployed to a swarm from its page, then the Swarm stacks pages, in Chromium. */
const COMPOSE = `services:
  web:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
    environment: { GREETING: hello }
    networks: [front]
    secrets: [token]
    configs: [{ source: motd, target: /etc/motd }]
    deploy:
      replicas: 2
      update_config: { parallelism: 1, order: start-first }
  agent:
    image: ${TEST_IMAGE}
    command: ["sleep", "3600"]
    container_name: the-agent
    restart: always
    depends_on: [web]
    deploy: { mode: global }
    networks: [front]
networks:
  front: {}
secrets:
  token: { file: ./token.txt }
configs:
  motd: { file: ./motd.txt }
`;

let swarm: SwarmEngine;
let ui: UiHarness;

beforeAll(async () => {
  // A swarm of this file's own: the shared engine is never put in swarm mode.
  swarm = await startSwarmEngine();
  ui = await startUi({ dockerHost: swarm.engine.host });
}, SWARM_SETUP_TIMEOUT);

afterAll(async () => {
  await ui?.stop();
  await swarm?.stop();
});

/** Screenshots at a desktop and a phone width. */
async function shots(page: Page, label: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 860 });
  await screenshot(page, `${label}-1280`);
  await page.setViewportSize({ width: 375, height: 800 });
  await screenshot(page, `${label}-375`);
  await page.setViewportSize({ width: 1280, height: 860 });
}

describe('swarm stacks in Chromium', () => {
  it('deploys a stack to the swarm from its page, lists it, shows it and removes it', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    const made = await api(page, 'POST', '/api/hosts/local/stacks', {
      name: 'shop',
      files: { 'compose.yaml': COMPOSE, 'token.txt': 'secret\n', 'motd.txt': 'hi\n' },
    });
    expect(made.status, JSON.stringify(made.json)).toBe(201);

    await page.goto('/hosts/local/stacks/shop');
    await page.getByRole('button', { name: 'Deploy to swarm' }).click();
    const panel = page.getByTestId('swarm-deploy-panel');
    const object = (name: string) =>
      panel.locator(`[data-testid=swarm-plan-object][data-name="${name}"]`);
    await object('shop_web').waitFor();
    for (const name of ['shop_front', 'shop_token', 'shop_motd', 'shop_web', 'shop_agent'])
      expect(await object(name).getByTestId('swarm-plan-action').textContent()).toBe('create');
    const unsupported = panel.getByTestId('swarm-unsupported');
    await expect.poll(() => unsupported.textContent()).toContain('container_name');
    expect(await unsupported.textContent()).toContain('swarm starts services in no order');
    expect(await panel.getByTestId('docker-command').textContent()).toMatch(
      /^docker stack deploy -c \S+compose\.yaml --resolve-image never shop$/,
    );
    await shots(page, 'swarm-stacks-plan');
    const problems: string[] = [...(await audit(page, 'swarm deploy plan'))];

    await panel.getByRole('button', { name: 'Deploy', exact: true }).click();
    await panel
      .getByTestId('swarm-deploy-result')
      .filter({ hasText: 'Deployed to the swarm.' })
      .waitFor();
    for (const name of ['shop_front', 'shop_web', 'shop_agent'])
      expect(await object(name).getByTestId('swarm-object-outcome').textContent()).toBe('done');
    await shots(page, 'swarm-stacks-deployed');
    await panel.getByRole('button', { name: 'Close' }).click();

    // Changed files: the plan says which fields of which service change, and applies them.
    const changed = await api(page, 'PUT', '/api/hosts/local/stacks/shop', {
      files: {
        'compose.yaml': COMPOSE.replace('replicas: 2', 'replicas: 3').replace('hello', 'bonjour'),
      },
    });
    expect(changed.status, JSON.stringify(changed.json)).toBe(200);
    await page.getByRole('button', { name: 'Deploy to swarm' }).click();
    await object('shop_web')
      .getByTestId('swarm-plan-action')
      .filter({ hasText: 'update' })
      .waitFor();
    expect(await object('shop_web').getByTestId('swarm-plan-changes').textContent()).toBe(
      'Mode.Replicated.Replicas: 2 → 3Env.GREETING: changed',
    );
    expect(await object('shop_agent').getByTestId('swarm-plan-action').textContent()).toBe(
      'unchanged',
    );
    await shots(page, 'swarm-stacks-update-plan');
    problems.push(...(await audit(page, 'swarm update plan')));
    await panel.getByRole('button', { name: 'Deploy', exact: true }).click();
    await panel
      .getByTestId('swarm-deploy-result')
      .filter({ hasText: 'Deployed to the swarm.' })
      .waitFor();
    await panel.getByRole('button', { name: 'Close' }).click();

    await navigate(page, 'Swarm stacks');
    const row = page.getByTestId('swarm-stack-list').locator('tr[data-name="shop"]');
    await row
      .getByTestId('swarm-stack-tasks')
      .filter({ hasText: '4/4 running' })
      .waitFor({ timeout: 90_000 });
    await shots(page, 'swarm-stacks-list');
    problems.push(...(await audit(page, 'swarm stacks list')));

    await row.getByRole('link', { name: 'shop' }).click();
    await page.getByRole('heading', { name: 'shop', exact: true }).waitFor();
    const web = page.getByTestId('swarm-stack-services').locator('tr[data-name="shop_web"]');
    await web.getByTestId('swarm-service-replicas').filter({ hasText: '3/3' }).waitFor();
    expect(await page.getByTestId('swarm-stack-networks').textContent()).toContain(
      'shop_front (overlay, swarm)',
    );
    expect(await page.getByTestId('swarm-stack-secrets').textContent()).toContain('shop_token');
    await shots(page, 'swarm-stack-detail');
    problems.push(...(await audit(page, 'swarm stack detail')));

    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await page.getByRole('dialog').getByText('docker stack rm shop').waitFor();
    problems.push(...(await audit(page, 'swarm stack remove confirm')));
    await page.getByRole('button', { name: 'Remove stack' }).click();
    await page.getByTestId('swarm-stack-removed').filter({ hasText: 'Removed shop' }).waitFor();
    expect(await page.getByTestId('docker-command').textContent()).toBe('docker stack rm shop');
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);
});
