import type { DirectoryListing, VolumeBackup } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../core/errors.js';
import { EngineRequestError } from '../../../docker/engine-errors.js';
import type { EngineHost } from '../../../docker/engine-hosts.js';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE, TEST_LABEL } from '../../../testing/test-engine.js';
import { VolumeHelper } from '../volume-helper.js';

/** An image reference no registry serves: pulling it can only fail. */
const MISSING = 'berth-test.invalid/no-such-helper:never';

describe('the volume helper on a machine that cannot pull its image', () => {
  const fixtures = new EngineFixtures();
  const volume = fixtures.name('nopull');
  let t: TestApp;
  let admin: ApiClient;
  const base = `/api/hosts/local/volumes/${volume}`;

  beforeAll(async () => {
    t = await startTestApp({ helperImage: MISSING });
    admin = await setupAdmin(t.app);
    await fixtures.client.request('POST', '/volumes/create', {
      body: { Name: volume, Labels: { [TEST_LABEL]: fixtures.runId } },
    });
    const writer = await fixtures.client.request<{ Id: string }>('POST', '/containers/create', {
      body: {
        Image: TEST_IMAGE,
        Cmd: ['sh', '-c', 'echo hello > /data/greeting.txt'],
        Labels: { [TEST_LABEL]: fixtures.runId },
        HostConfig: { Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
      },
    });
    await fixtures.start(writer.Id);
    await fixtures.client.request('POST', `/containers/${writer.Id}/wait`);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it('browses the volume with another local image and never pulls the configured one', async () => {
    const res = await admin.get(`${base}/files?path=%2F`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<DirectoryListing>().entries.map((e) => e.name)).toContain('greeting.txt');
    const file = await admin.get(`${base}/files/download?path=%2Fgreeting.txt`);
    expect(file.body).toBe('hello\n');
    const inspect = await fixtures.client
      .request('GET', `/images/${encodeURIComponent(MISSING)}/json`)
      .then(
        () => 'present',
        () => 'absent',
      );
    expect(inspect).toBe('absent');
  });

  it('backs the volume up with another local image', async () => {
    const res = await admin.post(`${base}/backups`, {});
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<VolumeBackup>()).toMatchObject({ volume, files: 1 });
  });
});

describe('the volume helper on a host with no image at all', () => {
  it('pulls the configured image and, when that fails, names the setting', async () => {
    // Error path only: an engine with no image is faked (the test engine always has images).
    const engine = {
      request: (method: string, path: string) => {
        if (method === 'GET' && path.startsWith('/images/')) {
          return Promise.reject(new EngineRequestError(404, method, path, 'no such image'));
        }
        return Promise.reject(new Error(`unexpected ${method} ${path}`));
      },
      listImages: () => Promise.resolve([]),
      stream: () => Promise.reject(new Error('registry unreachable')),
    };
    const host = { id: 'bare', client: engine } as unknown as EngineHost;
    const helper = new VolumeHelper(MISSING);
    const failure: unknown = await helper
      .with(host, 'v', true, () => Promise.resolve(1))
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('helper_image_missing');
    expect((failure as AppError).message).toContain('BERTH_HELPER_IMAGE');
    expect((failure as AppError).message).toContain('bare has no image at all');
    expect((failure as AppError).message).toContain('registry unreachable');
  });
});
