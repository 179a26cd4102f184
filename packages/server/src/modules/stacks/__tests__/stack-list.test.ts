import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StackDetail, StackSummary } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, tokenFor, userSession } from '../../../testing/api-client.js';
import { RecordingRuntime, testLoader } from '../../../testing/stack-doubles.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

const base = '/api/hosts/local/stacks';

/** The labels the compose CLI puts on a service's container. */
function composeLabels(
  project: string,
  service: string,
  files: { workingDir: string; configFiles: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'com.docker.compose.project': project,
    'com.docker.compose.service': service,
    'com.docker.compose.container-number': '1',
    'com.docker.compose.oneoff': 'False',
    'com.docker.compose.project.working_dir': files.workingDir,
    'com.docker.compose.project.config_files': files.configFiles,
    ...extra,
  };
}

describe('the stacks list: Berth’s folders merged with the compose projects on the engine', () => {
  const fixtures = new EngineFixtures();
  const runtime = new RecordingRuntime();
  const cliDir = mkdtempSync(join(tmpdir(), 'berth-cli-project-'));
  const ext = `ext-${fixtures.runId}`;
  const cli = `cli-${fixtures.runId}`;
  const own = `own-${fixtures.runId}`;
  let t: TestApp;
  let admin: ApiClient;
  let viewer: ApiClient;

  const stack = async (name: string): Promise<StackSummary | undefined> =>
    (await viewer.get(base)).json<{ stacks: StackSummary[] }>().stacks.find((s) => s.name === name);

  beforeAll(async () => {
    t = await startTestApp({ stackEngine: { load: testLoader, runtime } });
    admin = await setupAdmin(t.app);
    viewer = await tokenFor(await userSession(admin, 'list-viewer', 'viewer'));
    writeFileSync(
      join(cliDir, 'compose.yaml'),
      'services:\n  app:\n    image: busybox\n  worker:\n    image: busybox\n    restart: always\n',
    );
    writeFileSync(join(cliDir, '.env'), 'X=1\n');

    const gone = { workingDir: '/nonexistent/ext', configFiles: '/nonexistent/ext/compose.yaml' };
    const web = await fixtures.createContainer(
      `${ext}-web`,
      ['sleep', '300'],
      composeLabels(ext, 'web', gone, {
        'com.docker.compose.depends_on': 'init:service_completed_successfully:false',
      }),
    );
    const init = await fixtures.createContainer(
      `${ext}-init`,
      ['true'],
      composeLabels(ext, 'init', gone),
    );
    // A one-shot no service waits on: known by its restart policy "no" alone.
    const job = await fixtures.createContainer(
      `${ext}-job`,
      ['true'],
      composeLabels(ext, 'job', gone),
    );
    const broken = await fixtures.createContainer(
      `${ext}-broken`,
      ['sh', '-c', 'exit 3'],
      composeLabels(ext, 'broken', gone),
    );
    // Named relative to the working dir, as docker-compose v1 labels it.
    const here = { workingDir: cliDir, configFiles: 'compose.yaml' };
    const app = await fixtures.createContainer(
      `${cli}-app`,
      ['sleep', '300'],
      composeLabels(cli, 'app', here),
    );
    expect(
      (
        await admin.post(base, {
          name: own,
          files: {
            'compose.yaml':
              'services:\n  web:\n    image: busybox\n  db:\n    image: busybox\n    restart: always\n',
          },
        })
      ).statusCode,
    ).toBe(201);
    const ownWeb = await fixtures.createContainer(
      `${own}-web`,
      ['sleep', '300'],
      composeLabels(own, 'web', {
        workingDir: join(t.stacksDir, 'local', own),
        configFiles: join(t.stacksDir, 'local', own, 'compose.yaml'),
      }),
    );
    for (const id of [web, init, job, broken, app, ownWeb]) await fixtures.start(id);
    await waitFor('the containers settled in the engine state', () => {
      const containers = t.hosts.get('local')?.state.containers() ?? [];
      const state = (id: string) => containers.find((c) => c.id === id)?.state;
      return (
        state(init) === 'exited' &&
        state(job) === 'exited' &&
        state(broken) === 'exited' &&
        [web, app, ownWeb].every((id) => state(id) === 'running')
      );
    });
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
    rmSync(cliDir, { recursive: true, force: true });
  });

  it('shows a compose CLI project with its services: running, completed one-shot, failed with why', async () => {
    const found = await stack(ext);
    expect(found).toMatchObject({ source: 'external', adoptable: false, state: 'failed' });
    expect(found?.services.map((s) => [s.name, s.state])).toEqual([
      ['broken', 'failed'],
      ['init', 'completed'],
      ['job', 'completed'],
      ['web', 'running'],
    ]);
    expect(found?.message).toMatch(/broken failed: .*exited with code 3/);
    expect(found?.message).not.toMatch(/init/);
    expect(found?.configFiles).toEqual(['/nonexistent/ext/compose.yaml']);
  });

  it('merges Berth’s own stack with its containers: a service not created yet is missing', async () => {
    const found = await stack(own);
    expect(found).toMatchObject({ source: 'berth', state: 'partial' });
    expect(found?.services.map((s) => [s.name, s.state, s.running, s.total])).toEqual([
      ['db', 'missing', 0, 0],
      ['web', 'running', 1, 1],
    ]);
    expect(found?.message).toBe('not running: db (missing)');
    // Before it has a container, a service shows the image its files name.
    expect(found?.services[0]?.image).toBe('busybox');
    expect(found?.services[1]?.containers[0]).toMatchObject({ number: 1, state: 'running' });
  });

  it('keeps a stack without readable files read-only', async () => {
    const plan = await admin.post(`${base}/${ext}/plan`, {});
    expect(plan.statusCode).toBe(409);
    expect(plan.json<{ error: { code: string } }>().error.code).toBe('stack_read_only');
    expect((await admin.get(`${base}/${ext}/files/compose.yaml`)).statusCode).toBe(409);
    expect((await admin.post(`${base}/${ext}/adopt`)).statusCode).toBe(422);
    expect(runtime.calls.filter((c) => c.project === ext)).toEqual([]);
  });

  it('adopts a project whose compose files are readable here: files in place, services from them', async () => {
    expect(await stack(cli)).toMatchObject({ source: 'external', adoptable: true });
    expect((await viewer.post(`${base}/${cli}/adopt`)).statusCode).toBe(403);
    const adopted = await admin.post(`${base}/${cli}/adopt`);
    expect(adopted.statusCode).toBe(200);
    const detail = adopted.json<StackDetail>();
    expect(detail).toMatchObject({
      source: 'adopted',
      adoptable: false,
      workingDir: cliDir,
      configFiles: [join(cliDir, 'compose.yaml')],
      state: 'partial',
    });
    expect(detail.files.map((f) => f.path).sort()).toEqual(['.env', 'compose.yaml']);
    expect(detail.services.map((s) => [s.name, s.state])).toEqual([
      ['app', 'running'],
      ['worker', 'missing'],
    ]);
    const file = await admin.get(`${base}/${cli}/files/compose.yaml`);
    expect(file.json<{ content: string }>().content).toContain('worker');
    expect((await admin.post(`${base}/${cli}/adopt`)).statusCode).toBe(409);
    const { versions } = (await admin.get(`${base}/${cli}/history`)).json<{
      versions: { message: string }[];
    }>();
    expect(versions.map((v) => v.message)).toEqual(['adopted']);
  });

  it('refuses to remove a stack that has containers unless asked to take it down', async () => {
    const refused = await admin.delete(`${base}/${cli}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { message: string } }>().error.message).toContain(`${cli}-app`);
    const removed = await admin.request('DELETE', `${base}/${cli}?down=true`);
    expect(removed.statusCode).toBe(204);
    expect(runtime.calls).toContainEqual({ method: 'down', project: cli, args: false });
    // An adopted stack's own files stay where they were; Berth forgets the adoption.
    expect(await stack(cli)).toMatchObject({ source: 'external', adoptable: true });
  });

  it('removes a stack with its volumes in one request when asked', async () => {
    const removed = await admin.request('DELETE', `${base}/${own}?down=true&volumes=true`);
    expect(removed.statusCode).toBe(204);
    expect(runtime.calls).toContainEqual({ method: 'down', project: own, args: true });
    expect(await stack(own)).toMatchObject({ source: 'external' });
  });
});
