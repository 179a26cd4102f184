import type { TransferResult } from '@berth/contract';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestRegistry,
  type TestRegistry,
} from '../../../../../../scripts/lib/test-registry.mjs';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE } from '../../../testing/test-engine.js';
import { WsRecorder } from '../../../testing/ws-client.js';

describe('pull progress and cancel against real registries', () => {
  const fixtures = new EngineFixtures();
  let registry: TestRegistry;
  let silent: Server;
  const held: Socket[] = [];
  let t: TestApp;
  let operator: ApiClient;
  let token: ApiClient;

  beforeAll(async () => {
    registry = await startTestRegistry();
    // A "registry" that accepts connections and never answers: a pull to it hangs until cancelled.
    silent = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t = await startTestApp();
    operator = await userSession(await setupAdmin(t.app), 'pull-op', 'operator');
    token = await tokenFor(operator);
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    silent.close();
    await t.close();
    await fixtures.cleanup();
    await registry.stop();
  });

  it('streams pull progress in order, ending with done', async () => {
    const ref = `${registry.host}/berth-${fixtures.runId}/pulled:1`;
    const [repo = ''] = [ref.slice(0, ref.lastIndexOf(':'))];
    await operator.post(`/api/hosts/local/images/${encodeURIComponent(TEST_IMAGE)}/tag`, {
      repository: repo,
      tag: '1',
    });
    expect(
      (await operator.post('/api/hosts/local/images/push', { image: ref })).json<TransferResult>()
        .status,
    ).toBe('done');
    await operator.delete(`/api/hosts/local/images/${encodeURIComponent(ref)}`);

    const events = await WsRecorder.open(t.app, '/api/hosts/local/events', token.headers);
    await events.waitFor('hello', () => events.of('hello')[0]);
    const pulled = (
      await operator.post('/api/hosts/local/images/pull', { image: ref })
    ).json<TransferResult>();
    expect(pulled.status).toBe('done');
    expect(pulled.cli).toBe(`docker pull ${ref}`);
    const mine = await events.waitFor('the final progress event', () => {
      const list = events.of('progress').filter((p) => p.transferId === pulled.transferId);
      return list.at(-1)?.status === 'done' ? list : undefined;
    });
    expect(mine.length).toBeGreaterThan(1);
    expect(mine.every((p) => p.operation === 'pull' && p.subject === ref)).toBe(true);
    expect(mine.filter((p) => p.status === 'done')).toHaveLength(1);
    expect(
      mine.some((p) => typeof p.status === 'string' && p.status.startsWith('Digest: sha256:')),
    ).toBe(true);
    events.close();
  });

  it('cancels a pull that hangs', async () => {
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const started = (
      await operator.post('/api/hosts/local/images/pull', {
        image: `127.0.0.1:${port}/stuck/image:1`,
        wait: false,
      })
    ).json<TransferResult>();
    expect(started.status).toBe('running');
    await new Promise((r) => setTimeout(r, 300));
    expect(
      (await operator.get(`/api/hosts/local/images/transfers/${started.transferId}`)).json(),
    ).toMatchObject({ status: 'running' });
    const cancelled = await operator.post(
      `/api/hosts/local/images/transfers/${started.transferId}/cancel`,
    );
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', error: 'cancelled' });
  });
});
