import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TransferResult } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureRegistryTools,
  startTestRegistry,
  type TestRegistry,
} from '../../../../../../../scripts/lib/test-registry.mjs';
import { ImagesApi } from '../../../../docker/images-api.js';
import { setupAdmin, type ApiClient } from '../../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE } from '../../../../testing/test-engine.js';
import type { ComposeRuntime } from '../compose-runtime.js';
import { down, project, runtimeFor, up } from './runtime-harness.js';

describe('compose runtime: images from a registry that needs a login', () => {
  const fixtures = new EngineFixtures();
  const login = { username: 'stacks', password: 'private base image' };
  const name = `rt-registry-${fixtures.runId}`;
  const dir = mkdtempSync(join(tmpdir(), 'berth-stack-registry-'));
  let registry: TestRegistry;
  let t: TestApp;
  let admin: ApiClient;
  let runtime: ComposeRuntime;
  let image: string;

  const removeLocal = async (reference: string): Promise<void> => {
    await new ImagesApi(fixtures.client).remove(reference, true).catch(() => undefined);
  };

  beforeAll(async () => {
    await ensureRegistryTools();
    registry = await startTestRegistry({ auth: login });
    t = await startTestApp();
    admin = await setupAdmin(t.app);
    runtime = runtimeFor(t);
    const created = await admin.post('/api/registries', {
      name: 'private',
      host: registry.host,
      ...login,
    });
    expect(created.statusCode).toBe(201);
    // The base image goes to the registry with Berth's own push (which sends the login)...
    image = `${registry.host}/berth-${fixtures.runId}/base:1`;
    const tagged = await admin.post(
      `/api/hosts/local/images/${encodeURIComponent(TEST_IMAGE)}/tag`,
      { repository: image.slice(0, image.lastIndexOf(':')), tag: '1' },
    );
    expect(tagged.statusCode).toBeLessThan(300);
    const pushed = await admin.post('/api/hosts/local/images/push', { image });
    expect(pushed.json<TransferResult>().status).toBe('done');
  });
  afterAll(async () => {
    await down(runtime, name);
    await down(runtime, `${name}-b`);
    await removeLocal(`${name}-b-app`);
    await removeLocal(image);
    await t.close();
    await fixtures.cleanup();
    await registry.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pulls a service image with the registry login Berth holds', async () => {
    await removeLocal(image);
    const p = project(name, {
      app: { image, command: ['sleep', '300'], stop_grace_period: '1s' },
    });
    expect((await runtime.plan('local', p)).plan.services[0]?.image).toBe('pull');
    const { outcome } = await up(runtime, p);
    expect(outcome).toEqual({ ok: true, services: [{ service: 'app', status: 'done' }] });
    expect(await new ImagesApi(fixtures.client).inspect(image)).toMatchObject({
      RepoTags: expect.arrayContaining([image]) as unknown,
    });
  });

  it('builds from a private base image, sending the logins as X-Registry-Config', async () => {
    await down(runtime, name);
    await removeLocal(image);
    writeFileSync(join(dir, 'Dockerfile'), `FROM ${image}\nRUN echo built > /built.txt\n`);
    const p = project(`${name}-b`, {
      app: { build: { context: dir }, command: ['sleep', '300'], stop_grace_period: '1s' },
    });
    const { outcome, progress } = await up(runtime, p);
    const failure = progress.find((e) => e.step === 'failed' && e.service === 'app');
    expect(failure?.message ?? null).toBeNull();
    expect(outcome).toEqual({ ok: true, services: [{ service: 'app', status: 'done' }] });
  });
});
