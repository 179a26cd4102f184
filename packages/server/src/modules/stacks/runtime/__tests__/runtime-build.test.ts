import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainersApi } from '../../../../docker/containers-api.js';
import { ImagesApi } from '../../../../docker/images-api.js';
import { readLogLines } from '../../../containers/container-logs.js';
import { waitFor } from '../../../../testing/wait-for.js';
import { startTestApp, type TestApp } from '../../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE } from '../../../../testing/test-engine.js';
import type { ComposeRuntime } from '../compose-runtime.js';
import { down, project, runtimeFor, up } from './runtime-harness.js';

describe('compose runtime: a build from a local context, secrets and configs from files', () => {
  const fixtures = new EngineFixtures();
  const name = `rt-build-${fixtures.runId}`;
  const dir = mkdtempSync(join(tmpdir(), 'berth-stack-build-'));
  let t: TestApp;
  let runtime: ComposeRuntime;

  beforeAll(async () => {
    t = await startTestApp();
    runtime = runtimeFor(t);
  });
  afterAll(async () => {
    await down(runtime, name);
    await new ImagesApi(fixtures.client).remove(`${name}-app`, true).catch(() => undefined);
    await t.close();
    await fixtures.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds the image through the Engine API, names it <project>-<service>, and mounts the files read-only', async () => {
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${TEST_IMAGE}\nCOPY greeting.txt /greeting.txt\n`);
    writeFileSync(join(dir, 'greeting.txt'), 'built by berth\n');
    writeFileSync(join(dir, 'token.txt'), 's3cr3t\n');
    writeFileSync(join(dir, 'app.conf'), 'mode=fast\n');
    const p = project(
      name,
      {
        app: {
          build: { context: dir },
          command: [
            'sh',
            '-c',
            'cat /greeting.txt /run/secrets/token /etc/app.conf; exec sleep 300',
          ],
          stop_grace_period: '1s',
          secrets: [{ source: 'token' }],
          configs: [{ source: 'conf', target: '/etc/app.conf' }],
        },
      },
      {
        secrets: { token: { name: `${name}_token`, file: join(dir, 'token.txt') } },
        configs: { conf: { name: `${name}_conf`, file: join(dir, 'app.conf') } },
      },
    );
    const draft = await runtime.plan('local', p);
    expect(draft.plan.services[0]?.image).toBe('build');
    const { outcome, progress } = await up(runtime, p);
    expect(outcome).toEqual({ ok: true, services: [{ service: 'app', status: 'done' }] });
    expect(progress.map((e) => e.step)).toContain('building');
    const api = new ContainersApi(fixtures.client);
    const app = await api.inspect(`${name}-app-1`);
    expect(app.Config.Image).toBe(`${name}-app`);
    expect(app.Mounts.map((m) => [m.Destination, m.RW]).sort()).toEqual([
      ['/etc/app.conf', false],
      ['/run/secrets/token', false],
    ]);
    const logs = await waitFor('the files read by the container', async () => {
      const lines = await readLogLines(api, app.Id, 10);
      return lines.length >= 3 && lines;
    });
    expect(logs).toEqual(['built by berth', 's3cr3t', 'mode=fast']);
    // The built image is there now: a second plan changes nothing.
    expect((await runtime.plan('local', p)).plan.unchanged).toBe(true);
  });
});
