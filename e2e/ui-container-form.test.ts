import type { ContainerDetail } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../packages/server/src/testing/free-port.js';
import { TEST_IMAGE } from '../packages/server/src/testing/test-engine.js';
import {
  api,
  openSection,
  screenshot,
  setupAndLogin,
  startUi,
  type UiHarness,
} from './ui-harness.js';

/** The create and edit form in Chromium: every option group, live feedback, drafts. */
const suffix = Math.random().toString(16).slice(2, 8);
let ui: UiHarness;

beforeAll(async () => {
  ui = await startUi();
}, 120_000);
afterAll(async () => {
  await ui.stop();
});

describe('the container form', () => {
  it('flags a port another container publishes and a bad value while typing, and keeps the draft over a reload', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    const port = await freePort();
    const holder = `form-holder-${suffix}`;
    const made = await api(page, 'POST', '/api/hosts/local/containers', {
      name: holder,
      image: TEST_IMAGE,
      command: ['sleep', '600'],
      ports: [{ containerPort: 80, hostPort: port }],
      stopTimeoutS: 1,
      validateSeconds: 0,
    });
    expect(made.status).toBe(201);

    await page.goto('/containers/new');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText('the image to run, like nginx:1.27').waitFor();
    await page.getByLabel('Name', { exact: true }).fill(holder);
    await page.getByLabel('Image').fill(TEST_IMAGE);
    await openSection(page, 'Ports');
    await page.getByRole('button', { name: 'Add port' }).click();
    await page.getByLabel('Host port').fill(String(port));
    await page.getByLabel('Container port').fill('8080');
    await page.getByText(`already published by ${holder}`).waitFor();
    await page.getByText('a container with this name exists on this host').waitFor();
    await openSection(page, 'Restart and resources');
    await page.getByLabel('Memory limit').fill('1m');
    await page.getByText('at least 6m (6 MiB)').waitFor();
    await screenshot(page, 'create-container-errors');

    await page.reload();
    await page.getByText('Your unsaved input is back.').waitFor();
    expect(await page.getByLabel('Image').inputValue()).toBe(TEST_IMAGE);
    expect(await page.getByLabel('Host port').inputValue()).toBe(String(port));
    expect(await page.getByLabel('Memory limit').inputValue()).toBe('1m');
    await page.getByRole('button', { name: 'Start over' }).click();
    expect(await page.getByLabel('Image').inputValue()).toBe('');
    await api(page, 'DELETE', `/api/hosts/local/containers/${holder}?force=true`);
    await context.close();
  });

  it('creates with mounts, a network address reservation, a health check, labels, user and capabilities; edits them away again', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    const net = `form-net-${suffix}`;
    const name = `form-full-${suffix}`;
    const volume = `form-vol-${suffix}`;
    expect(
      (
        await api(page, 'POST', '/api/hosts/local/networks', {
          name: net,
          driver: 'bridge',
          subnet: '10.231.7.0/24',
        })
      ).status,
    ).toBe(201);
    const reserved = await api(page, 'POST', `/api/hosts/local/networks/${net}/reservations`, {
      purpose: 'database',
    });
    expect(reserved.status).toBe(201);
    const reservedIp = (reserved.json as { ip: string }).ip;

    await page.goto('/containers/new');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Image').fill(TEST_IMAGE);
    await page.getByLabel('Command', { exact: true }).fill('sleep 600');
    await openSection(page, 'Volumes and mounts');
    await page.getByRole('button', { name: 'Add mount' }).click();
    await page.getByLabel('Volume name').fill(volume);
    await page.getByLabel('Path in container').fill('/data');
    await openSection(page, 'Networks');
    await page.getByRole('button', { name: 'Add network' }).click();
    await page.getByLabel('Network', { exact: true }).selectOption(net);
    await page.getByLabel('Reserved address').selectOption('database');
    await page.getByLabel('Aliases').fill('db, primary');
    await openSection(page, 'Restart and resources');
    await page.getByLabel('Restart policy').selectOption('on-failure');
    await page.getByLabel('Max retries').fill('2');
    await page.getByLabel('Stop timeout (s)').fill('1');
    await openSection(page, 'Health check');
    await page.getByLabel('Check command').fill('test -d /data');
    await page.getByLabel('Interval (s)').fill('2');
    await openSection(page, 'Labels');
    await page.getByLabel('Labels', { exact: true }).fill('team=ops');
    await openSection(page, 'User and security');
    await page.getByLabel('User', { exact: true }).fill('0:0');
    await page.getByLabel('Add capabilities').fill('net_admin');
    const command = page.getByTestId('docker-command');
    await command.filter({ hasText: '--cap-add NET_ADMIN' }).waitFor();
    const cli = (await command.first().textContent()) ?? '';
    for (const part of [
      `--mount type=volume,source=${volume},target=/data`,
      `--network ${net}`,
      '--restart on-failure:2',
      '--label team=ops',
      '--user 0:0',
      'sleep 600',
    ])
      expect(cli).toContain(part);
    await screenshot(page, 'create-container-full');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page
      .getByTestId('validation')
      .filter({ hasText: 'started' })
      .waitFor({ timeout: 30_000 });

    const detail = (await api(page, 'GET', `/api/hosts/local/containers/${name}`))
      .json as ContainerDetail;
    expect(detail.spec.networks?.find((n) => n.name === net)).toMatchObject({
      ipv4Address: reservedIp,
      aliases: ['db', 'primary'],
    });
    expect(detail.spec.mounts).toContainEqual(
      expect.objectContaining({ type: 'volume', source: volume, target: '/data' }),
    );
    expect(detail.spec.healthcheck).toMatchObject({
      test: ['CMD-SHELL', 'test -d /data'],
      intervalS: 2,
    });
    expect(detail.spec.labels).toMatchObject({ team: 'ops' });
    expect(detail.spec.capAdd).toEqual(['NET_ADMIN']);
    expect(detail.spec.restartPolicy).toEqual({ name: 'on-failure', maximumRetryCount: 2 });

    // Edit: the form comes filled in; clearing a section removes it from the container.
    await page.goto(`/containers/${detail.id}/edit`);
    expect(await page.getByLabel('Labels', { exact: true }).inputValue()).toBe('team=ops');
    expect(await page.getByLabel('Check command').inputValue()).toBe('test -d /data');
    await page.getByLabel('Labels', { exact: true }).fill('');
    await page.getByLabel('Add capabilities').fill('');
    await page.getByRole('button', { name: 'Save and recreate' }).click();
    await page
      .getByTestId('validation')
      .filter({ hasText: 'started' })
      .waitFor({ timeout: 30_000 });
    const edited = (await api(page, 'GET', `/api/hosts/local/containers/${name}`))
      .json as ContainerDetail;
    expect(edited.id).not.toBe(detail.id);
    expect(edited.spec.labels?.team).toBeUndefined();
    expect(edited.spec.capAdd ?? []).toEqual([]);
    expect(edited.spec.networks?.find((n) => n.name === net)?.ipv4Address).toBe(reservedIp);

    await api(page, 'DELETE', `/api/hosts/local/containers/${name}?force=true`);
    await api(page, 'DELETE', `/api/hosts/local/networks/${net}`);
    await api(page, 'DELETE', `/api/hosts/local/volumes/${volume}`);
    await context.close();
  }, 120_000);

  it('shows why a container did not stay up, with its last output', async () => {
    const { context, page } = await ui.newPage();
    await setupAndLogin(page);
    await page.goto('/containers/new');
    await page.getByLabel('Image').fill(TEST_IMAGE);
    await page
      .getByLabel('Command', { exact: true })
      .fill(`sh -c 'echo config file missing >&2; exit 3'`);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page
      .getByTestId('validation')
      .filter({ hasText: 'failed to start' })
      .waitFor({ timeout: 30_000 });
    await page.getByLabel('Last output').filter({ hasText: 'config file missing' }).waitFor();
    const href = (await page.getByRole('link', { name: /^Open / }).getAttribute('href')) ?? '';
    expect(href).toMatch(/^\/hosts\/local\/containers\/[0-9a-f]{64}$/);
    expect((await api(page, 'DELETE', `/api${href}?force=true`)).status).toBe(200);
    await context.close();
  });
});
