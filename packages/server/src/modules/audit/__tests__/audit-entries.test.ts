import type { AuditEntry, ContainerCreated, ContainerDetail } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

/** What the audit log says a daily user did, read through the API, against the real engine. */
describe('audit entries as a user reads them', () => {
  const fixtures = new EngineFixtures();
  const host = '/api/hosts/local';
  const mine = `${TEST_LABEL}=${fixtures.runId}`;
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  const entries = async (query = ''): Promise<AuditEntry[]> =>
    (await admin.get(`/api/audit?limit=500${query}`)).json<{ entries: AuditEntry[] }>().entries;

  it('does not log a preview or a dry run as the action; logs the real one', async () => {
    const previews = [
      await admin.post(`${host}/system/prune`, {}),
      await admin.post(`${host}/system/prune`, { dryRun: true }),
      await admin.post(`${host}/networks/prune`, { label: mine }),
      await admin.post(`${host}/volumes/prune`, { dryRun: true, label: mine }),
      await admin.post(`${host}/images/prune`, { dryRun: true, label: mine }),
      await admin.post(`${host}/containers/cli`, { image: TEST_IMAGE }),
    ];
    for (const res of previews) expect(res.statusCode, res.body).toBe(200);
    const real = await admin.post(`${host}/images/prune`, { dryRun: false, label: mine });
    expect(real.statusCode, real.body).toBe(200);
    const prunes = (await entries()).filter((e) => e.action.endsWith('.prune'));
    expect(prunes.map((e) => [e.action, e.details?.dryRun])).toEqual([['image.prune', false]]);
  });

  it('logs a failed pull as failed with the error, also when it fails after the answer', async () => {
    const waited = `127.0.0.1:1/berth-${fixtures.runId}/waited:1`;
    const background = `127.0.0.1:1/berth-${fixtures.runId}/background:1`;
    const a = await admin.post(`${host}/images/pull`, { image: waited });
    expect(a.json()).toMatchObject({ status: 'failed' });
    const b = await admin.post(`${host}/images/pull`, { image: background, wait: false });
    expect(b.json()).toMatchObject({ status: 'running' });
    for (const image of [waited, background]) {
      const entry = await waitFor(`the audit entry of the pull of ${image}`, async () =>
        (await entries('&action=image.pull')).find((e) => e.target === `local/${image}`),
      );
      expect(entry).toMatchObject({ outcome: 'failure', details: { status: 'failed' } });
      expect(entry.details?.error).toEqual(expect.stringContaining('127.0.0.1:1'));
    }
  });

  it('names the container and the network next to their ids', async () => {
    const name = fixtures.name('named');
    const id = await fixtures.createContainer('named');
    await waitFor('the container in state', () => t.hosts.get('local')?.state.container(id));
    expect((await admin.post(`${host}/containers/${id}/start`)).statusCode).toBe(200);
    const network = await admin.post(`${host}/networks`, { name: fixtures.name('net') });
    expect(network.statusCode, network.body).toBeLessThan(300);
    const networkId = network.json<{ id: string }>().id;
    await waitFor('the network in state', () =>
      t.hosts
        .get('local')
        ?.state.networks()
        .find((n) => n.Id === networkId),
    );
    expect((await admin.delete(`${host}/networks/${networkId}`)).statusCode).toBeLessThan(300);
    const all = await entries();
    expect(all.find((e) => e.action === 'container.start')?.target).toBe(
      `local/${name} (${id.slice(0, 12)})`,
    );
    expect(all.find((e) => e.action === 'network.remove')?.target).toBe(
      `local/${fixtures.name('net')} (${networkId.slice(0, 12)})`,
    );
  });

  it('lists only the options a recreate changed', async () => {
    const name = fixtures.name('recreated');
    const made = await admin.post(`${host}/containers`, {
      name,
      image: TEST_IMAGE,
      command: ['sleep', '600'],
      env: { MODE: 'one' },
      labels: { [TEST_LABEL]: fixtures.runId },
      stopTimeoutS: 1,
      validateSeconds: 0,
    });
    expect(made.statusCode, made.body).toBe(201);
    const detail = (await admin.get(`${host}/containers/${name}`)).json<ContainerDetail>();
    // An edit form sends the whole spec back, with one option changed.
    const res = await admin.post(`${host}/containers/${name}/recreate`, {
      ...detail.spec,
      env: { MODE: 'two' },
      replace: true,
      validateSeconds: 0,
    });
    expect(res.statusCode, res.body).toBe(200);
    const entry = (await entries('&action=container.recreate')).at(0);
    expect(entry?.details).toEqual({
      changed: ['env'],
      newId: res.json<ContainerCreated>().container.id,
    });
  });
});
