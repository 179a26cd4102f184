import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it("leaves out of the build context what .dockerignore excludes, by Docker's rules", async () => {
    const ctx = join(dir, 'ignoring');
    const ignoredName = `${name}-ignoring`;
    mkdirSync(join(ctx, 'cache/deep'), { recursive: true });
    mkdirSync(join(ctx, 'src/nested'), { recursive: true });
    writeFileSync(join(ctx, 'secret.txt'), 'do not send\n');
    writeFileSync(join(ctx, 'cache/deep/blob.bin'), 'big\n');
    writeFileSync(join(ctx, 'src/main.sh'), 'echo main\n');
    writeFileSync(join(ctx, 'src/nested/debug.log'), 'noise\n');
    writeFileSync(join(ctx, 'src/nested/keep.log'), 'kept\n');
    // The Dockerfile and .dockerignore are sent even when a pattern matches them (the build
    // needs them), and the engine then leaves them out of the context, as with the docker CLI.
    writeFileSync(
      join(ctx, '.dockerignore'),
      '# comments and blank lines are skipped\n\nsecret.txt\ncache\n**/*.log\n!src/nested/keep.log\nbuild.Dockerfile\n.dockerignore\n',
    );
    writeFileSync(
      join(ctx, 'build.Dockerfile'),
      `FROM ${TEST_IMAGE}\nCOPY . /ctx\nRUN test ! -e /ctx/secret.txt && test ! -e /ctx/cache && test ! -e /ctx/src/nested/debug.log && test -f /ctx/src/nested/keep.log && test -f /ctx/src/main.sh\n`,
    );
    const p = project(ignoredName, {
      app: {
        build: { context: ctx, dockerfile: 'build.Dockerfile' },
        command: ['sh', '-c', 'find /ctx -type f | sort; exec sleep 300'],
        stop_grace_period: '1s',
      },
    });
    try {
      const { outcome, progress } = await up(runtime, p);
      const failure = progress.find((e) => e.step === 'failed' && e.service === 'app');
      expect(failure?.message ?? null).toBeNull();
      expect(outcome.ok).toBe(true);
      const api = new ContainersApi(fixtures.client);
      const app = await api.inspect(`${ignoredName}-app-1`);
      const files = await waitFor('the files the image holds', async () => {
        const lines = await readLogLines(api, app.Id, 10);
        return lines.length >= 2 && lines;
      });
      expect(files).toEqual(['/ctx/src/main.sh', '/ctx/src/nested/keep.log']);
    } finally {
      await down(runtime, ignoredName);
      await new ImagesApi(fixtures.client)
        .remove(`${ignoredName}-app`, true)
        .catch(() => undefined);
    }
  });
});
