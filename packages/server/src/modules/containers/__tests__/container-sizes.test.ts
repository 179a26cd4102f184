import type { ContainerCreated, ContainerPreview, ErrorBody, HostInfo } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';

/** Memory limits and image references: refused with the field named, shown in docker's units. */
describe('container sizes and image references', () => {
  const fixtures = new EngineFixtures();
  let t: TestApp;
  let admin: ApiClient;
  const base = '/api/hosts/local/containers';

  beforeAll(async () => {
    t = await startTestApp();
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it("refuses a memory limit above the host's memory, naming the field and the host's total", async () => {
    const total = (await admin.get('/api/hosts/local/info')).json<HostInfo>().hardware.memoryBytes;
    const res = await admin.post(base, {
      name: fixtures.name('too-big'),
      image: TEST_IMAGE,
      resources: { memoryBytes: total + 1024 * 1024 * 1024 },
      labels: { [TEST_LABEL]: fixtures.runId },
      validateSeconds: 0,
    });
    expect(res.statusCode, res.body).toBe(400);
    const { error } = res.json<ErrorBody>();
    expect(error.code).toBe('memory_over_host');
    const details = error.details as { issues: { field: string; message: string }[] };
    expect(details.issues).toEqual([
      {
        field: 'body.resources.memoryBytes',
        message: expect.stringMatching(/^more than this host has \(.+ of memory\)$/),
      },
    ]);
  });

  it('says what a size is when the body has no number, and what an image reference is', async () => {
    const res = await admin.post(`${base}/cli`, {
      image: 'Busybox:1',
      resources: { memoryBytes: '64m' },
    });
    expect(res.statusCode, res.body).toBe(400);
    const issues = (
      res.json<ErrorBody>().error.details as { issues: { field: string; message: string }[] }
    ).issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        { field: 'body.resources.memoryBytes', message: 'expected a size such as 512m' },
        {
          field: 'body.image',
          message: expect.stringMatching(/^not an image reference: .*lowercase/),
        },
      ]),
    );
  });

  it('writes --memory and tmpfs sizes in docker units, in the preview and the created container', async () => {
    const spec = {
      name: fixtures.name('sized'),
      image: TEST_IMAGE,
      command: ['sleep', '600'],
      resources: { memoryBytes: 64 * 1024 * 1024 },
      mounts: [{ type: 'tmpfs', target: '/scratch', sizeBytes: 2 * 1024 * 1024 }],
      labels: { [TEST_LABEL]: fixtures.runId },
      stopTimeoutS: 1,
    };
    const preview = (await admin.post(`${base}/cli`, spec)).json<ContainerPreview>();
    expect(preview.cli).toContain('--memory 64m');
    expect(preview.cli).toContain('tmpfs-size=2m');
    const made = await admin.post(base, { ...spec, autoStart: false, validateSeconds: 0 });
    expect(made.statusCode, made.body).toBe(201);
    const { container } = made.json<ContainerCreated>();
    expect((container.inspect.HostConfig as { Memory: number }).Memory).toBe(67108864);
    expect(container.cli).toContain('--memory 64m');
  });
});
