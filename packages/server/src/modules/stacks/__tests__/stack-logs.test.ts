import type { StackLogsPage } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';

const labels = (project: string, service: string) => ({
  'com.docker.compose.project': project,
  'com.docker.compose.service': service,
  'com.docker.compose.container-number': '1',
  'com.docker.compose.oneoff': 'False',
});

describe('stack logs: every service merged by time, live from the shared container streams', () => {
  const fixtures = new EngineFixtures();
  const project = `logs-${fixtures.runId}`;
  const url = `/api/hosts/local/stacks/${project}/logs`;
  let t: TestApp;
  let viewer: ApiClient;
  let operator: ApiClient;
  let ids: { a: string; b: string };

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await setupAdmin(t.app);
    viewer = await tokenFor(await userSession(admin, 'logs-viewer', 'viewer'));
    operator = await tokenFor(await userSession(admin, 'logs-op', 'operator'));
    // Each writes in turn, after the other's line is in the logs: a1, b1, a2, b2.
    const a = await fixtures.createContainer(
      `${project}-a`,
      ['sh', '-c', 'echo a1; sleep 300'],
      labels(project, 'alpha'),
    );
    const b = await fixtures.createContainer(
      `${project}-b`,
      ['sh', '-c', 'echo b1; sleep 300'],
      labels(project, 'beta'),
    );
    ids = { a, b };
    const lines = async (n: number) =>
      waitFor(
        `${n} lines`,
        async () => (await viewer.get(`${url}?tail=all`)).json<StackLogsPage>().lines.length === n,
        20_000,
      );
    await fixtures.start(a);
    await waitFor(
      'the stack has a container',
      async () => (await viewer.get(url)).statusCode === 200,
    );
    await lines(1);
    await fixtures.start(b);
    await lines(2);
    await write(a, 'echo a2 > /proc/1/fd/2');
    await lines(3);
    await write(b, 'echo b2 > /proc/1/fd/1');
    await lines(4);
  });
  /** Writes a line to a container's own output (an exec, detached). */
  async function write(id: string, script: string): Promise<void> {
    const exec = await fixtures.client.request<{ Id: string }>('POST', `/containers/${id}/exec`, {
      body: { Cmd: ['sh', '-c', script] },
    });
    await fixtures.client.request('POST', `/exec/${exec.Id}/start`, { body: { Detach: true } });
  }
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('answers the lines of every container in time order, with service and container', async () => {
    const page = (await viewer.get(`${url}?tail=all`)).json<StackLogsPage>();
    const times = page.lines.map((l) => l.timestamp ?? '');
    expect([...times].sort()).toEqual(times);
    expect(page.lines.map((l) => [l.service, l.text, l.stream])).toEqual([
      ['alpha', 'a1', 'stdout'],
      ['beta', 'b1', 'stdout'],
      ['alpha', 'a2', 'stderr'],
      ['beta', 'b2', 'stdout'],
    ]);
    expect(page.lines[0]?.container).toBe(fixtures.name(`${project}-a`));
    expect(page.cli).toBe(`docker compose -p ${project} logs --timestamps`);
  });

  it('keeps to the services asked for, and the tail per container', async () => {
    const page = (await viewer.get(`${url}?services=beta&tail=1`)).json<StackLogsPage>();
    expect(page.lines.map((l) => l.text)).toEqual(['b2']);
    expect(page.cli).toBe(`docker compose -p ${project} logs --timestamps --tail 1 beta`);
    expect(
      (await viewer.get(`/api/hosts/local/stacks/none-${fixtures.runId}/logs`)).statusCode,
    ).toBe(404);
  });

  it('streams merged history then live lines, two viewers sharing one upstream per container', async () => {
    const streams = t.services.containerStreams.logs;
    const startedBefore = streams.started;
    const one = await WsRecorder.open(t.app, `${url}/stream?tail=all`, viewer.headers);
    const two = await WsRecorder.open(t.app, `${url}/stream?tail=1`, operator.headers);
    await one.waitFor('history for one', () => one.logLines().length >= 4);
    await two.waitFor('history for two', () => two.logLines().length >= 2);
    expect(one.logLines().map((l) => l.text)).toEqual(['a1', 'b1', 'a2', 'b2']);
    expect(two.logLines().map((l) => l.text)).toEqual(['a2', 'b2']);
    for (const id of [ids.a, ids.b]) {
      expect(streams.active(`local/${id}`)).toBe(1);
      expect(streams.subscribers(`local/${id}`)).toBe(2);
    }
    expect(streams.started).toBe(startedBefore + 2);

    await fixtures.client
      .request('POST', `/containers/${ids.b}/exec`, {
        body: { Cmd: ['sh', '-c', 'echo live-b > /proc/1/fd/1'] },
      })
      .then(async (exec) => {
        const { Id } = exec as { Id: string };
        await fixtures.client.request('POST', `/exec/${Id}/start`, { body: { Detach: true } });
      });
    await one.waitFor('the live line', () => one.logLines().some((l) => l.text === 'live-b'));
    expect(one.logLines().find((l) => l.text === 'live-b')).toMatchObject({ service: 'beta' });
    one.close();
    two.close();
    await waitFor('the upstreams stopped', () => streams.active(`local/${ids.a}`) === 0);
  });
});
