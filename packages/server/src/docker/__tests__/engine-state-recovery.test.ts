import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startIsolatedEngine,
  type IsolatedEngine,
} from '../../../../../scripts/lib/isolated-engine.mjs';
import { buildTestImages } from '../../../../../scripts/lib/test-images.mjs';
import { EngineClient } from '../engine-client.js';
import { EngineState } from '../engine-state.js';
import { SocketProxy } from '../../testing/socket-proxy.js';
import {
  EngineFixtures,
  TEST_IMAGE,
  TEST_LABEL,
  testSocketPath,
} from '../../testing/test-engine.js';
import { testLogger } from '../../testing/silent-logger.js';
import { waitFor } from '../../testing/wait-for.js';

describe('EngineState recovery through a link that breaks', () => {
  const fixtures = new EngineFixtures();
  const dir = mkdtempSync(join(tmpdir(), 'berth-proxy-'));
  const proxy = new SocketProxy(join(dir, 'engine.sock'), testSocketPath());
  let client: EngineClient;
  let state: EngineState;

  const own = (): string =>
    state
      .containers()
      .filter((c) => c.labels[TEST_LABEL] === fixtures.runId)
      .map((c) => `${c.name}:${c.state}`)
      .sort()
      .join(',');

  beforeAll(async () => {
    await proxy.listen();
    client = new EngineClient({ transport: 'unix', socketPath: proxy.path });
    state = new EngineState({
      hostId: 'proxied',
      client,
      logger: testLogger(),
      retryMinMs: 50,
      retryMaxMs: 200,
    });
    state.start();
    await state.whenSynced();
  });

  afterAll(async () => {
    await state.stop();
    client.close();
    await proxy.goDark();
    await fixtures.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('misses nothing when the event stream alone is cut while the engine changes', async () => {
    const a = await fixtures.createContainer('a');
    await fixtures.start(a);
    const b = await fixtures.createContainer('b');
    await waitFor(
      'a and b in state',
      () => own() === `${fixtures.name('a')}:running,${fixtures.name('b')}:created`,
    );
    const reachableSince = state.status.since;

    expect(proxy.dropWhere((head) => head.startsWith('GET /v') && head.includes('/events'))).toBe(
      1,
    );
    // Change the engine directly while Berth's stream is down.
    await fixtures.createContainer('c');
    await fixtures.stop(a);
    await fixtures.remove(b);

    await waitFor(
      'state to reflect the changes made during the cut',
      () => own() === `${fixtures.name('a')}:exited,${fixtures.name('c')}:created`,
    );
    expect(proxy.requestLines.some((line) => /\/events\?since=\d+/.test(line))).toBe(true);
    // A broken stream with a healthy engine never shows the host as down.
    expect(state.status.reachable).toBe(true);
    expect(state.status.since).toEqual(reachableSince);
  });

  it('marks the host unreachable while the engine is gone and reconciles when it is back', async () => {
    await proxy.goDark();
    await waitFor('unreachable', () => !state.status.reachable);
    expect(state.status.error).toMatch(/ENOENT|ECONNREFUSED|ECONNRESET/);

    const d = await fixtures.createContainer('d');
    await fixtures.start(d);
    await fixtures.remove(
      await waitFor(
        'c',
        async () =>
          (await fixtures.listOwnContainers()).find((x) => x.Names[0]?.endsWith(fixtures.name('c')))
            ?.Id,
      ),
    );

    await proxy.listen();
    await waitFor('reachable again', () => state.status.reachable);
    await waitFor(
      'state reconciled with the engine',
      () => own() === `${fixtures.name('a')}:exited,${fixtures.name('d')}:running`,
    );
  });
});

describe('EngineState with an engine that stops and starts', () => {
  let engine: IsolatedEngine;
  let client: EngineClient;
  let state: EngineState;

  beforeAll(async () => {
    engine = await startIsolatedEngine({ bridge: false, quiet: true });
    await buildTestImages(engine.socketPath);
    client = new EngineClient({ transport: 'unix', socketPath: engine.socketPath });
    state = new EngineState({
      hostId: 'second',
      client,
      logger: testLogger(),
      retryMinMs: 100,
      retryMaxMs: 500,
    });
    state.start();
    await state.whenSynced();
  });

  afterAll(async () => {
    await state?.stop();
    client?.close();
    await engine?.stop();
  });

  it('shows the host unreachable when dockerd stops, and picks it up again on restart', async () => {
    const created = await client.request<{ Id: string }>('POST', '/containers/create', {
      query: { name: 'survivor' },
      body: { Image: TEST_IMAGE, Cmd: ['sleep', '300'], StopTimeout: 1 },
    });
    await client.request('POST', `/containers/${created.Id}/start`);
    await waitFor('running survivor', () => state.container(created.Id)?.state === 'running');

    await engine.halt();
    await waitFor('unreachable', () => !state.status.reachable);
    expect(state.status.error).toMatch(/unreachable/);

    await engine.start();
    await waitFor('reachable again', () => state.status.reachable);
    // dockerd stopped the container on its way down; the reconcile after restart must see that.
    await waitFor('survivor exited', () => state.container(created.Id)?.state === 'exited');

    const volume = 'after-restart';
    await client.request('POST', '/volumes/create', { body: { Name: volume } });
    await waitFor('events flowing again', () => state.volumes().some((v) => v.Name === volume));
  });
});
