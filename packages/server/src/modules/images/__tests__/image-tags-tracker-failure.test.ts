import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger } from '../../../testing/silent-logger.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_IMAGE } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';

describe('remembering previous tags when the database fails', () => {
  const fixtures = new EngineFixtures();
  const repo = `berth-test/tracker-${fixtures.runId}`.toLowerCase();
  const log = recordingLogger();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ logger: log.logger });
  });
  afterAll(async () => {
    await fixtures.client
      .request('DELETE', `/images/${encodeURIComponent(`${repo}:moved`)}`)
      .catch(() => undefined);
    await t.close();
    await fixtures.cleanup();
  });

  it('logs the failed write with the image and host, and keeps serving', async () => {
    await sql`alter table image_previous_tags rename to image_previous_tags_gone`.execute(t.db);
    await fixtures.client.request('POST', `/images/${encodeURIComponent(TEST_IMAGE)}/tag`, {
      query: { repo, tag: 'moved' },
    });
    const line = await waitFor('the failure logged', () =>
      log.lines.find((l) => l.msg === 'previous image tags not recorded'),
    );
    expect(line).toMatchObject({
      level: 50,
      host: 'local',
      action: 'upsert',
      image: expect.stringMatching(/^sha256:/),
      err: expect.stringContaining('no such table'),
    });
    await sql`alter table image_previous_tags_gone rename to image_previous_tags`.execute(t.db);
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
  });
});
