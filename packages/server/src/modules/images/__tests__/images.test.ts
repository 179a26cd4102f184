import type { ImageSummary, PruneResult, TransferResult } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin, userSession } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

describe('images on a real engine', () => {
  const fixtures = new EngineFixtures();
  const repo = `berth-test/img-${fixtures.runId}`;
  let t: TestApp;
  let operator: ApiClient;
  let viewer: ApiClient;
  const base = '/api/hosts/local/images';

  /** A new image made from a container, so tags have somewhere to move. */
  async function commit(tag: string, marker: string): Promise<string> {
    const id = await fixtures.createContainer(`c-${marker}`, [
      'sh',
      '-c',
      `echo ${marker} > /marker`,
    ]);
    await fixtures.start(id);
    await waitFor(
      'the container to finish',
      async () =>
        (
          await fixtures.client.request<{ State: { Running: boolean } }>(
            'GET',
            `/containers/${id}/json`,
          )
        ).State.Running === false,
    );
    const res = await fixtures.client.request<{ Id: string }>('POST', '/commit', {
      query: { container: id, repo, tag },
      // Labelled with this run, so the prune below can be limited to what this file made.
      body: { Labels: { [TEST_LABEL]: fixtures.runId } },
    });
    await fixtures.remove(id);
    return res.Id;
  }

  const list = async (client: ApiClient, query = ''): Promise<ImageSummary[]> =>
    (await client.get(`${base}${query}`)).json<{ images: ImageSummary[] }>().images;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await setupAdmin(t.app);
    operator = await userSession(admin, 'img-op', 'operator');
    viewer = await userSession(admin, 'img-viewer', 'viewer');
  });
  afterAll(async () => {
    for (const image of await list(operator)) {
      if (
        image.tags.some((tag) => tag.startsWith(repo)) ||
        image.previousTags.some((tag) => tag.startsWith(repo))
      ) {
        await operator.delete(`${base}/${image.id}?force=true`);
      }
    }
    await t.close();
    await fixtures.cleanup();
  });

  it('lists images with who uses them, and dangling/unused badges', async () => {
    const cid = await fixtures.createContainer('user');
    await waitFor('in state', () => t.hosts.get('local')?.state.container(cid));
    const images = await list(viewer);
    const busybox = images.find((i) => i.tags.includes(TEST_IMAGE));
    expect(busybox).toMatchObject({ dangling: false, unused: false });
    expect(busybox?.usedBy.map((u) => u.id)).toContain(cid);
    expect(busybox?.size).toBeGreaterThan(0);
  });

  it('tags, remembers where a tag was when it moves, and untags', async () => {
    const first = await commit('v1', 'one');
    const tagged = await operator.post(`${base}/${first}/tag`, { repository: repo, tag: 'stable' });
    expect(tagged.json()).toMatchObject({ ok: true, cli: `docker tag ${first} ${repo}:stable` });
    await waitFor('the new tag', async () =>
      (await list(viewer)).some((i) => i.tags.includes(`${repo}:stable`)),
    );

    const second = await commit('stable', 'two');
    await waitFor('the tag to move', async () => {
      const old = (await list(viewer)).find((i) => i.id === first);
      return old?.previousTags.includes(`${repo}:stable`) && !old.tags.includes(`${repo}:stable`);
    });
    const moved = (await list(viewer)).find((i) => i.id === second);
    expect(moved?.tags).toContain(`${repo}:stable`);

    const untag = await operator.delete(`${base}/${encodeURIComponent(`${repo}:v1`)}`);
    expect(untag.json()).toMatchObject({ cli: `docker rmi ${repo}:v1` });
    await waitFor(
      'v1 gone',
      async () => !(await list(viewer)).some((i) => i.tags.includes(`${repo}:v1`)),
    );
  });

  it('shows history and inspect; unknown images are 404', async () => {
    const history = (await viewer.get(`${base}/${encodeURIComponent(TEST_IMAGE)}/history`)).json<{
      layers: { createdBy: string }[];
    }>();
    expect(history.layers.length).toBeGreaterThanOrEqual(1);
    const inspect = (await viewer.get(`${base}/${encodeURIComponent(TEST_IMAGE)}`)).json<{
      RepoTags: string[];
    }>();
    expect(inspect.RepoTags).toContain(TEST_IMAGE);
    expect((await viewer.get(`${base}/no-such-image-xyz`)).statusCode).toBe(404);
  });

  it('saves an image to a tar and loads it back', async () => {
    const id = await commit('saved', 'three');
    const saved = await operator.get(`${base}/${encodeURIComponent(`${repo}:saved`)}/save`);
    expect(saved.statusCode).toBe(200);
    expect(saved.headers['content-type']).toBe('application/x-tar');
    // Taking an image out is a read, and audited all the same.
    const audited = await t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'status'])
      .where('action', '=', 'image.save')
      .execute();
    expect(audited).toContainEqual({ action: 'image.save', outcome: 'success', status: 200 });
    expect((await operator.delete(`${base}/${id}?force=true`)).statusCode).toBe(200);
    await waitFor('removed', async () => !(await list(viewer)).some((i) => i.id === id));

    const loaded = await operator.request('POST', `${base}/load`, saved.rawPayload, {
      'content-type': 'application/x-tar',
    });
    expect(loaded.statusCode, loaded.body).toBe(200);
    expect(loaded.json<{ loaded: string[] }>().loaded).toContain(`${repo}:saved`);
    await waitFor('back in the list', async () => (await list(viewer)).some((i) => i.id === id));
  });

  it('prunes: the dry run lists exactly what the real prune removes', async () => {
    // Other suites share the engine: only this run's images are pruned (--filter label=…).
    const mine = `${TEST_LABEL}=${fixtures.runId}`;
    // Committing twice under one tag leaves the first image with no tag at all.
    const a = await commit('orphan', 'five');
    await commit('orphan', 'six');
    await waitFor('a dangling', async () =>
      (await list(viewer, '?dangling=true')).some((i) => i.id === a),
    );
    const dry = (
      await operator.post(`${base}/prune`, { mode: 'dangling', label: mine, dryRun: true })
    ).json<PruneResult>();
    expect(dry.dryRun).toBe(true);
    expect(dry.removed.map((r) => r.id)).toContain(a);
    expect((await list(viewer)).some((i) => i.id === a)).toBe(true);
    const real = (
      await operator.post(`${base}/prune`, { mode: 'dangling', label: mine, dryRun: false })
    ).json<PruneResult>();
    expect(real.removed.map((r) => r.id).sort()).toEqual(dry.removed.map((r) => r.id).sort());
    expect(real.reclaimedBytes).toBe(dry.reclaimedBytes);
    expect(real.cli).toMatch(/^docker image prune --filter '?label=/);
    expect(real.cli).toContain(mine);
    await waitFor('pruned', async () => !(await list(viewer)).some((i) => i.id === a));
  });

  it('reports a failed pull with the reason', async () => {
    const res = await operator.post(`${base}/pull`, { image: '127.0.0.1:1/nothing/here:1' });
    expect(res.statusCode).toBe(200);
    const result = res.json<TransferResult>();
    expect(result.status).toBe('failed');
    expect(result.error).toBeTruthy();
    expect((await operator.get(`${base}/transfers/${result.transferId}`)).json()).toMatchObject({
      status: 'failed',
    });
  });

  it('lets viewers list but not pull, remove, save or prune', async () => {
    expect((await viewer.post(`${base}/pull`, { image: TEST_IMAGE })).statusCode).toBe(403);
    expect((await viewer.delete(`${base}/${encodeURIComponent(TEST_IMAGE)}`)).statusCode).toBe(403);
    expect((await viewer.get(`${base}/${encodeURIComponent(TEST_IMAGE)}/save`)).statusCode).toBe(
      403,
    );
    // An audited read refused is recorded under its own action.
    const refused = await t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('outcome', '=', 'denied')
      .execute();
    expect(refused).toContainEqual({ action: 'image.save', outcome: 'denied' });
    expect((await viewer.post(`${base}/prune`, { dryRun: true })).statusCode).toBe(403);
  });
});

describe('image builds on a real engine', () => {
  const fixtures = new EngineFixtures();
  const tag = `berth-test/built-${fixtures.runId}:1`;
  let t: TestApp;
  let operator: ApiClient;

  beforeAll(async () => {
    t = await startTestApp();
    operator = await userSession(await setupAdmin(t.app), 'build-op', 'operator');
  });
  afterAll(async () => {
    await operator.delete(`/api/hosts/local/images/${encodeURIComponent(tag)}?force=true`);
    await t.close();
    await fixtures.cleanup();
  });

  it('builds from a Dockerfile with build args and tags the result', async () => {
    const res = await operator.post('/api/hosts/local/images/build', {
      dockerfile: `FROM ${TEST_IMAGE}\nARG GREETING\nRUN echo "$GREETING" > /greeting\nCMD ["cat", "/greeting"]\n`,
      tags: [tag],
      buildArgs: { GREETING: 'built by berth' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<{ ok: boolean; imageId: string; log: string[]; cli: string }>();
    expect(result.ok).toBe(true);
    expect(result.imageId).toMatch(/^sha256:/);
    expect(result.log.some((l) => l.startsWith('Step 3/4 : RUN'))).toBe(true);
    expect(result.cli).toBe(`docker build --tag ${tag} --build-arg 'GREETING=built by berth' .`);
    const run = await operator.post('/api/hosts/local/containers', {
      name: fixtures.name('built'),
      image: tag,
      labels: { 'io.berth.test': fixtures.runId },
      validateSeconds: 0,
    });
    const id = run.json<{ container: { id: string } }>().container.id;
    await waitFor('exited', () => t.hosts.get('local')?.state.container(id)?.state === 'exited');
    const logs = (await operator.get(`/api/hosts/local/containers/${id}/logs?tail=all`)).json<{
      lines: { text: string }[];
    }>();
    expect(logs.lines.map((l) => l.text)).toEqual(['built by berth']);
  });

  it('reports the failing step of a broken build', async () => {
    const res = await operator.post('/api/hosts/local/images/build', {
      dockerfile: `FROM ${TEST_IMAGE}\nRUN echo fine\nRUN sh -c 'echo broken >&2; exit 3'\n`,
      tags: [`berth-test/broken-${fixtures.runId}:1`],
    });
    const result = res.json<{
      ok: boolean;
      error: string;
      failedStep: string;
      imageId: string | null;
    }>();
    expect(result).toMatchObject({
      ok: false,
      imageId: null,
      failedStep: "Step 3/3 : RUN sh -c 'echo broken >&2; exit 3'",
    });
    expect(result.error).toContain('returned a non-zero code: 3');
  });
});
