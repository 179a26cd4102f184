import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../core/errors.js';
import { freePort } from '../../../../testing/free-port.js';
import { startTestApp, type TestApp } from '../../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE } from '../../../../testing/test-engine.js';
import { waitFor } from '../../../../testing/wait-for.js';
import type { ComposeRuntime } from '../compose-runtime.js';
import { down, project, runtimeFor, up } from './runtime-harness.js';

const WEB = { image: TEST_IMAGE, command: ['sleep', '300'], stop_grace_period: '1s' };

describe('compose runtime: host ports a plan cannot bind', () => {
  const fixtures = new EngineFixtures();
  const first = `rt-port-a-${fixtures.runId}`;
  const second = `rt-port-b-${fixtures.runId}`;
  let t: TestApp;
  let runtime: ComposeRuntime;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp();
    runtime = runtimeFor(t);
    port = await freePort();
  });
  afterAll(async () => {
    await down(runtime, first);
    await down(runtime, second);
    await t.close();
    await fixtures.cleanup();
  });

  it('names a port another stack holds, and a fixed port for several replicas, before anything changes', async () => {
    const published = (name: string, scale = 1) =>
      project(name, { web: { ...WEB, scale, ports: [{ target: 80, published: String(port) }] } });
    expect((await up(runtime, published(first))).outcome.ok).toBe(true);
    await waitFor('the engine state has the first stack running', () =>
      (t.hosts.get('local')?.state.containers() ?? []).some(
        (c) => c.name === `${first}-web-1` && c.state === 'running',
      ),
    );

    // Its own containers hold the port: a plan of the same stack again is no conflict.
    const again = await runtime.plan('local', published(first));
    expect(again.plan.resources.filter((r) => r.kind === 'port')).toEqual([]);

    const taken = await runtime.plan('local', published(second));
    expect(taken.plan.resources.filter((r) => r.kind === 'port')).toEqual([
      {
        kind: 'port',
        name: `${port}/tcp`,
        action: 'conflict',
        message: `service web publishes host port ${port}/tcp, which container ${first}-web-1 (stack ${first}) already publishes`,
      },
    ]);
    const refused = await up(runtime, published(second)).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('stack_conflict');
    const made = await fixtures.client.listContainers({
      label: [`com.docker.compose.project=${second}`],
    });
    expect(made).toEqual([]);

    await down(runtime, first);
    await waitFor('the engine state has the first stack gone', () =>
      (t.hosts.get('local')?.state.containers() ?? []).every((c) => c.name !== `${first}-web-1`),
    );
    const replicas = await runtime.plan('local', published(second, 2));
    expect(replicas.plan.resources.filter((r) => r.kind === 'port').map((r) => r.message)).toEqual([
      `service web publishes host port ${port}/tcp for each of its 2 containers, and only one can bind it: leave the host port out, or run one`,
    ]);
  });
});
