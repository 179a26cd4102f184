import type {
  BulkResult,
  ContainerActionResult,
  ContainerCreated,
  ContainerDetail,
  ContainerPreview,
} from '@berth/contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../testing/free-port.js';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

describe('containers end to end on a real engine', () => {
  const fixtures = new EngineFixtures();
  const bindDir = mkdtempSync(join(tmpdir(), 'berth-bind-'));
  let t: TestApp;
  let admin: ApiClient;
  let operator: ApiClient;
  let viewer: ApiClient;
  const base = '/api/hosts/local/containers';
  const name = (n: string): string => fixtures.name(n);
  const labels = (): Record<string, string> => ({ [TEST_LABEL]: fixtures.runId });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'oper', 'operator');
    viewer = await userSession(admin, 'viewy', 'viewer');
    // Operators bind host folders only where an admin allows it (docs/security.md).
    const allowBinds = await admin.request('PUT', '/api/hosts/local/security', {
      bindMounts: [bindDir],
    });
    expect(allowBinds.statusCode, allowBinds.body).toBe(200);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
    rmSync(bindDir, { recursive: true, force: true });
  });

  it('creates a container with the common options, starts it, validates it and gives the docker command', async () => {
    const port = await freePort();
    const res = await operator.post(base, {
      name: name('web'),
      image: TEST_IMAGE,
      command: ['httpd', '-f', '-p', '8080', '-h', '/var/www'],
      env: { GREETING: 'hello world', SECRET_TOKEN: 's3cr3t' },
      ports: [{ containerPort: 8080, hostPort: port, hostIp: '127.0.0.1' }],
      mounts: [
        { type: 'bind', source: bindDir, target: '/data', readOnly: true },
        { type: 'volume', source: name('vol'), target: '/vol' },
        { type: 'tmpfs', target: '/scratch', sizeBytes: 1048576 },
      ],
      restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
      resources: { memoryBytes: 64 * 1024 * 1024, cpus: 0.5, pidsLimit: 64 },
      healthcheck: {
        test: ['CMD-SHELL', 'wget -q -O /dev/null http://127.0.0.1:8080/index.html'],
        intervalS: 1,
        retries: 3,
      },
      labels: labels(),
      hostname: 'webhost',
      workingDir: '/var/www',
      capDrop: ['NET_RAW'],
      environment: 'staging',
      stopTimeoutS: 1,
      validateSeconds: 8,
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<ContainerCreated>();
    expect(created.validation).toMatchObject({ ok: true, state: 'running' });
    expect(created.container).toMatchObject({
      name: name('web'),
      state: 'running',
      environment: 'staging',
      managed: true,
    });
    expect(created.container.spec).toMatchObject({
      env: { GREETING: 'hello world', SECRET_TOKEN: 's3cr3t' },
      ports: [{ containerPort: 8080, hostPort: port, hostIp: '127.0.0.1', protocol: 'tcp' }],
      restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
      resources: { memoryBytes: 64 * 1024 * 1024, cpus: 0.5, pidsLimit: 64 },
      hostname: 'webhost',
      capDrop: ['NET_RAW'],
    });
    expect(created.cli).toContain(`--publish 127.0.0.1:${port}:8080`);
    expect(created.cli).toContain("--env 'GREETING=hello world'");
    expect(created.cli).toContain('--restart on-failure:3');
    // It really serves on the published port.
    const page = await fetch(`http://127.0.0.1:${port}/index.html`);
    expect(await page.text()).toBe('berth test image\n');
  });

  it('masks environment values for viewers', async () => {
    const detail = (await viewer.get(`${base}/${name('web')}`)).json<ContainerDetail>();
    expect(detail.spec.env).toEqual({ GREETING: '••••••', SECRET_TOKEN: '••••••' });
    expect(JSON.stringify(detail)).not.toContain('s3cr3t');
    const full = (await operator.get(`${base}/${name('web')}`)).json<ContainerDetail>();
    expect(full.spec.env?.SECRET_TOKEN).toBe('s3cr3t');
  });

  it('refuses a port already published on the host with 409 naming the conflict, creating nothing', async () => {
    const web = (await operator.get(`${base}/${name('web')}`)).json<ContainerDetail>();
    const port = web.spec.ports?.[0]?.hostPort;
    const res = await operator.post(base, {
      name: name('clash'),
      image: TEST_IMAGE,
      ports: [{ containerPort: 80, hostPort: port }],
      labels: labels(),
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: { code: 'port_conflict', details: { conflicts: [{ port, container: name('web') }] } },
    });
    expect(
      (await fixtures.listOwnContainers()).some((c) => c.Names[0] === `/${name('clash')}`),
    ).toBe(false);
  });

  it('previews a body as the form types it: the docker run, port conflicts and a taken name, except for the container being edited', async () => {
    const web = (await operator.get(`${base}/${name('web')}`)).json<ContainerDetail>();
    const port = web.spec.ports?.[0]?.hostPort;
    const body = {
      name: name('web'),
      image: TEST_IMAGE,
      ports: [{ containerPort: 80, hostPort: port }],
    };
    const clash = (await viewer.post(`${base}/cli`, body)).json<ContainerPreview>();
    expect(clash.cli).toContain(`--publish ${port}:80`);
    expect(clash.nameTaken).toBe(true);
    expect(clash.portConflicts).toEqual([
      { port, protocol: 'tcp', hostIp: '0.0.0.0', container: name('web') },
    ]);
    const editing = (
      await viewer.post(`${base}/cli?except=${encodeURIComponent(name('web'))}`, body)
    ).json<ContainerPreview>();
    expect(editing).toMatchObject({ nameTaken: false, portConflicts: [] });
    const bad = await viewer.post(`${base}/cli`, { ...body, ports: [{ containerPort: 0 }] });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('ports.0.containerPort');
  });

  it('reads its own writes: the next list has what was just created and lacks what was just removed', async () => {
    const made = await operator.post(base, {
      name: name('ryw'),
      image: TEST_IMAGE,
      labels: labels(),
      autoStart: false,
    });
    expect(made.statusCode).toBe(201);
    const listed = (await operator.get(base)).json<{ containers: { name: string }[] }>();
    expect(listed.containers.map((c) => c.name)).toContain(name('ryw'));
    expect((await operator.delete(`${base}/${name('ryw')}`)).statusCode).toBe(200);
    const after = (await operator.get(base)).json<{ containers: { name: string }[] }>();
    expect(after.containers.map((c) => c.name)).not.toContain(name('ryw'));

    const volume = name('ryw-vol');
    expect((await operator.post('/api/hosts/local/volumes', { name: volume })).statusCode).toBe(
      201,
    );
    const volumes = (await operator.get('/api/hosts/local/volumes')).json<{
      volumes: { name: string }[];
    }>();
    expect(volumes.volumes.map((v) => v.name)).toContain(volume);
    expect((await operator.delete(`/api/hosts/local/volumes/${volume}`)).statusCode).toBe(200);
    const gone = (await operator.get('/api/hosts/local/volumes')).json<{
      volumes: { name: string }[];
    }>();
    expect(gone.volumes.map((v) => v.name)).not.toContain(volume);
  });

  it('reports a container that exits at once as a failed start, with exit code and logs', async () => {
    const res = await operator.post(base, {
      name: name('crash'),
      image: TEST_IMAGE,
      command: ['sh', '-c', 'echo starting up; echo config missing >&2; exit 3'],
      labels: labels(),
      validateSeconds: 10,
    });
    expect(res.statusCode).toBe(201);
    const { validation } = res.json<ContainerCreated>();
    expect(validation).toMatchObject({ ok: false, state: 'exited', exitCode: 3, oomKilled: false });
    // stdout and stderr are separate pipes: their relative order is not guaranteed.
    expect([...(validation?.logs ?? [])].sort()).toEqual(['config missing', 'starting up']);
    expect(validation?.message).toContain('exit code 3');
  });

  it('keeps privileged containers for admins', async () => {
    const res = await operator.post(base, {
      name: name('priv'),
      image: TEST_IMAGE,
      privileged: true,
      labels: labels(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'privileged_needs_admin' } });
  });

  it('answers 404 for an image that is not there and cannot be pulled', async () => {
    const res = await operator.post(base, {
      name: name('nope'),
      image: 'berth-test/absent:9',
      labels: labels(),
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'image_pull_failed' } });
  });

  it('runs the lifecycle: stop, start, restart, pause, unpause, kill, rename, update, remove', async () => {
    const id = (
      await operator.post(base, {
        name: name('life'),
        image: TEST_IMAGE,
        command: ['sleep', '300'],
        labels: labels(),
        validateSeconds: 0,
      })
    ).json<ContainerCreated>().container.id;
    const act = async (path: string, expected: string): Promise<ContainerActionResult> => {
      const res = await operator.post(`${base}/${id.slice(0, 12)}/${path}`);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
      const body = res.json<ContainerActionResult>();
      expect(body.state, path).toBe(expected);
      return body;
    };
    expect((await act('stop?timeout=1', 'exited')).cli).toBe(
      `docker stop --time 1 ${name('life')}`,
    );
    await act('start', 'running');
    await act('restart?timeout=1', 'running');
    await act('pause', 'paused');
    await act('unpause', 'running');
    expect((await act('kill?signal=SIGKILL', 'exited')).cli).toBe(
      `docker kill --signal SIGKILL ${name('life')}`,
    );
    await act('start', 'running');

    const renamed = await operator.post(`${base}/${id}/rename`, { name: name('life2') });
    expect(renamed.json()).toMatchObject({
      name: name('life2'),
      cli: `docker rename ${name('life')} ${name('life2')}`,
    });

    const updated = await operator.patch(`${base}/${name('life2')}`, {
      memoryBytes: 32 * 1024 * 1024,
      restartPolicy: { name: 'unless-stopped' },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    const detail = (await operator.get(`${base}/${id}`)).json<ContainerDetail>();
    expect(detail.spec).toMatchObject({
      resources: { memoryBytes: 32 * 1024 * 1024 },
      restartPolicy: { name: 'unless-stopped' },
    });

    const running = await operator.delete(`${base}/${id}`);
    expect(running.statusCode).toBe(409);
    expect(running.json()).toMatchObject({ error: { code: 'container_running' } });
    const removed = await operator.delete(`${base}/${id}?force=true`);
    expect(removed.json()).toMatchObject({
      state: 'removed',
      cli: `docker rm --force ${name('life2')}`,
    });
    expect((await operator.get(`${base}/${id}`)).statusCode).toBe(404);
  });

  /** The steps a recreate of this container reports on the host's progress feed. */
  const recreateSteps = (container: string): { steps: string[]; stop: () => void } => {
    const steps: string[] = [];
    const stop =
      t.hosts.get('local')?.progress.on((p) => {
        if (p.operation === 'recreate' && p.subject === container) steps.push(p.status);
      }) ?? (() => undefined);
    return { steps, stop: () => void stop() };
  };

  it('edits by recreating: same name, new config, environment tag kept', async () => {
    const before = (await operator.get(`${base}/${name('web')}`)).json<ContainerDetail>();
    const progress = recreateSteps(name('web'));
    const res = await operator.post(`${base}/${name('web')}/recreate`, {
      env: { GREETING: 'changed' },
      validateSeconds: 6,
    });
    progress.stop();
    expect(res.statusCode, res.body).toBe(200);
    // Each step is reported as it is taken (the edit page shows them).
    expect(progress.steps).toEqual([
      'stopping',
      'renaming',
      'creating',
      'starting',
      'removing-old',
      'done',
    ]);
    const after = res.json<ContainerCreated>().container;
    expect(after.id).not.toBe(before.id);
    expect(after).toMatchObject({ name: name('web'), state: 'running', environment: 'staging' });
    expect(after.spec.env).toEqual({ GREETING: 'changed' });
    expect(after.spec.ports).toEqual(before.spec.ports);
    // The old id says who it was and which container has its name now.
    const old = await operator.get(`${base}/${before.id}`);
    expect(old.statusCode).toBe(404);
    expect(old.json()).toMatchObject({
      error: {
        code: 'container_gone',
        details: {
          removed: { id: before.id, name: name('web') },
          current: { id: after.id, name: name('web') },
        },
      },
    });
  });

  it('restores the original when the recreated container fails, losing nothing', async () => {
    const before = (await operator.get(`${base}/${name('web')}`)).json<ContainerDetail>();
    const progress = recreateSteps(name('web'));
    const res = await operator.post(`${base}/${name('web')}/recreate`, {
      command: ['sh', '-c', 'exit 7'],
      validateSeconds: 6,
    });
    progress.stop();
    expect(res.statusCode).toBe(422);
    expect(progress.steps).toEqual(['stopping', 'renaming', 'creating', 'starting', 'rolled-back']);
    expect(res.json()).toMatchObject({
      error: { code: 'recreate_failed', details: { validation: { ok: false, exitCode: 7 } } },
    });
    const now = (await operator.get(`${base}/${name('web')}`)).json<ContainerDetail>();
    expect(now.id).toBe(before.id);
    expect(now.state).toBe('running');
    const own = await fixtures.listOwnContainers();
    expect(own.filter((c) => c.Names[0]?.includes('berth-old'))).toEqual([]);
  });

  it('duplicates a container under a new name, leaving host ports to the engine', async () => {
    const res = await operator.post(`${base}/${name('web')}/duplicate`, { name: name('web-copy') });
    expect(res.statusCode, res.body).toBe(201);
    const copy = res.json<ContainerCreated>().container;
    expect(copy).toMatchObject({ name: name('web-copy'), state: 'created' });
    expect(copy.spec.env).toEqual({ GREETING: 'changed' });
    expect(copy.spec.ports?.[0]?.hostPort).toBeUndefined();
  });

  it('bulk-stops many containers and reports the one bad id alone', async () => {
    const ids = await Promise.all([1, 2, 3].map((i) => fixtures.createContainer(`bulk${i}`)));
    await Promise.all(ids.map((id) => fixtures.start(id)));
    const res = await operator.post(`${base}/bulk`, {
      action: 'stop',
      ids: [...ids, 'no-such-container'],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<BulkResult>();
    expect(body).toMatchObject({ succeeded: 3, failed: 1 });
    expect(body.results.find((r) => !r.ok)).toMatchObject({
      id: 'no-such-container',
      error: { code: 'container_not_found' },
    });
    await waitFor('all three stopped', () =>
      ids.every((id) => t.hosts.get('local')?.state.container(id)?.state === 'exited'),
    );
  });

  it('tags any container with an environment, kept by Berth', async () => {
    const id = await fixtures.createContainer('external');
    await waitFor('external container in state', () => t.hosts.get('local')?.state.container(id));
    // No engine event comes for a tag: Berth tells the viewers itself, so their lists follow.
    const announced: string[] = [];
    const stop = t.hosts.get('local')?.state.onChange((c) => announced.push(c.id));
    const res = await operator.request('PUT', `${base}/${id}/environment`, { environment: 'prod' });
    stop?.();
    expect(res.json()).toMatchObject({ environment: 'prod', managed: false });
    expect(announced).toContain(id);
    const listed = (await operator.get(`${base}?environment=prod`)).json<{
      containers: { id: string }[];
    }>();
    expect(listed.containers.map((c) => c.id)).toContain(id);

    // Many at once, one result each; null clears.
    const other = await fixtures.createContainer('external2');
    const tagged = await operator.post(`${base}/bulk`, {
      action: 'set-environment',
      ids: [id, other, 'no-such-container'],
      environment: 'staging',
    });
    expect(tagged.json<BulkResult>()).toMatchObject({ succeeded: 2, failed: 1, cli: '' });
    const staging = (await operator.get(`${base}?environment=staging`)).json<{
      containers: { id: string }[];
    }>();
    expect(staging.containers.map((c) => c.id).sort()).toEqual(expect.arrayContaining([id, other]));
    const cleared = await operator.post(`${base}/bulk`, {
      action: 'set-environment',
      ids: [id],
      environment: null,
    });
    expect(cleared.json<BulkResult>().succeeded).toBe(1);
    expect((await operator.get(`${base}/${id}`)).json<ContainerDetail>().environment).toBeNull();
    const missing = await operator.post(`${base}/bulk`, { action: 'set-environment', ids: [id] });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('environment');
    expect(
      (
        await viewer.post(`${base}/bulk`, {
          action: 'set-environment',
          ids: [id],
          environment: 'x',
        })
      ).statusCode,
    ).toBe(403);
  });

  it('audits every change with its outcome', async () => {
    const rows = await t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('action', 'like', 'container.%')
      .execute();
    const seen = new Set(rows.map((r) => `${r.action}:${r.outcome}`));
    for (const expected of [
      'container.create:success',
      'container.create:failure',
      'container.create:denied',
      'container.stop:success',
      'container.rename:success',
      'container.update:success',
      'container.remove:failure',
      'container.remove:success',
      'container.recreate:success',
      'container.recreate:failure',
      'container.duplicate:success',
      'container.bulk:success',
      'container.environment:success',
    ]) {
      expect(seen.has(expected), expected).toBe(true);
    }
  });
});
