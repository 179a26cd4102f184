import { api, routePath, type StreamRoute } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { WsRecorder } from '../../../testing/ws-client.js';

/** Every JSON message a recorder received, checked against the stream's declared schema. */
function undeclared(route: StreamRoute, recorder: WsRecorder): string[] {
  return recorder.texts.flatMap((message) => {
    const parsed = route.server.safeParse(message);
    return parsed.success ? [] : [`${JSON.stringify(message)}: ${parsed.error.message}`];
  });
}

describe('container streams send only the messages their contract declares', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let operator: ApiClient;
  let running: string;
  let exited: string;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await setupAdmin(t.app);
    operator = await tokenFor(await userSession(admin, 'contract-op', 'operator'));
    running = await fixtures.createContainer('contract-running', ['sh', '-c', 'sleep 300']);
    exited = await fixtures.createContainer('contract-exited', ['sh', '-c', 'echo one; echo two']);
    await fixtures.start(running);
    await fixtures.start(exited);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  const open = (route: StreamRoute, id: string, query?: Record<string, string>) =>
    WsRecorder.open(
      t.app,
      routePath(route, { params: { host: 'local', id }, query }),
      operator.headers,
    );

  it('logs: lines, then the end; an error for a container that is not there', async () => {
    await waitFor('the short-lived container exited', async () => {
      const res = await operator.get(
        routePath(api.containers.get, { params: { host: 'local', id: exited } }),
      );
      return res.json<{ state: string }>().state === 'exited';
    });
    const logs = await open(api.logs.follow, exited);
    await logs.waitFor('the end', () => logs.of('end')[0]);
    expect(logs.logLines().map((l) => l.text)).toEqual(['one', 'two']);
    const missing = await open(api.logs.follow, 'no-such-container');
    await missing.waitFor('an error', () => missing.of('error')[0]);
    expect([...undeclared(api.logs.follow, logs), ...undeclared(api.logs.follow, missing)]).toEqual(
      [],
    );
  });

  it('stats: readings; an error for a container that is not there', async () => {
    const stats = await open(api.stats.follow, running);
    await stats.waitFor('two readings', () => stats.of('stats').length >= 2);
    stats.close();
    const missing = await open(api.stats.follow, 'no-such-container');
    await missing.waitFor('an error', () => missing.of('error')[0]);
    expect([
      ...undeclared(api.stats.follow, stats),
      ...undeclared(api.stats.follow, missing),
    ]).toEqual([]);
  });

  it('terminal: started, then the exit; an error for a container that is not there', async () => {
    const term = await open(api.exec.terminal, running, { shell: '/bin/sh' });
    await term.waitFor('started', () => term.of('started')[0]);
    term.socket.send(Buffer.from('exit 7\n'), { binary: true });
    const exit = await term.waitFor('the exit', () => term.of('exit')[0]);
    expect(exit.exitCode).toBe(7);
    const missing = await open(api.exec.terminal, 'no-such-container');
    await missing.waitFor('an error', () => missing.of('error')[0]);
    expect([
      ...undeclared(api.exec.terminal, term),
      ...undeclared(api.exec.terminal, missing),
    ]).toEqual([]);
  });

  it('attach: started, then detached; an error for a container that is not there', async () => {
    const attached = await open(api.attach.terminal, running, { detachKeys: 'ctrl-p,ctrl-q' });
    await attached.waitFor('started', () => attached.of('started')[0]);
    attached.socket.send(Buffer.from([0x10, 0x11]), { binary: true });
    await attached.waitFor('detached', () => attached.of('detached')[0]);
    const missing = await open(api.attach.terminal, 'no-such-container');
    await missing.waitFor('an error', () => missing.of('error')[0]);
    expect([
      ...undeclared(api.attach.terminal, attached),
      ...undeclared(api.attach.terminal, missing),
    ]).toEqual([]);
  });
});
