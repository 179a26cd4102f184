import type { Alert, AlertRule } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { EngineFixtures, TEST_LABEL } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { DEFAULT_METRICS } from '../../metrics/metrics-parts.js';

describe('cpu alerts from the metrics sampler', () => {
  let t: TestApp;
  let admin: ApiClient;
  const fixtures = new EngineFixtures();

  beforeAll(async () => {
    t = await startTestApp({
      metrics: { ...DEFAULT_METRICS, intervalSeconds: 1 },
      monitoring: { evaluateEveryMs: 200 },
    });
    admin = await setupAdmin(t.app);
  });
  afterAll(async () => {
    await t.close();
    await fixtures.cleanup();
  });

  it("fires for a busy-looping container over a share of the host's CPUs, and resolves once it stops", async () => {
    const created = await admin.post('/api/alerts/rules', {
      name: 'busy',
      kind: 'cpu_above',
      threshold: 5,
      scope: { type: 'label', key: TEST_LABEL, value: fixtures.runId },
    });
    expect(created.statusCode, created.body).toBe(201);
    const rule = created.json<AlertRule>();
    const id = await fixtures.createContainer('busy', ['sh', '-c', 'while :; do :; done']);
    await fixtures.start(id);
    const alertsOfRule = async () =>
      (await admin.get('/api/alerts'))
        .json<{ alerts: Alert[] }>()
        .alerts.filter((a) => a.ruleId === rule.id);
    const [firing] = await waitFor(
      'the cpu alert',
      async () => {
        const found = await alertsOfRule();
        return found.length > 0 && found;
      },
      30_000,
      200,
    );
    expect(firing).toMatchObject({
      state: 'firing',
      kind: 'cpu_above',
      containerName: fixtures.name('busy'),
    });
    expect(firing?.summary).toMatch(/uses [\d.]+% of the host's \d+ CPUs \(over 5%\)/);
    await fixtures.stop(id);
    await waitFor(
      'the cpu alert to resolve',
      async () => (await alertsOfRule())[0]?.state === 'resolved',
      30_000,
      200,
    );
  });
});
