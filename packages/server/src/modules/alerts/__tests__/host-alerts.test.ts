import type { Alert, AlertRule } from '@berth/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, setupAdmin } from '../../../testing/api-client.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';
import { waitFor } from '../../../testing/wait-for.js';
import { BackupSchedulesRepository } from '../../volumes/backup-schedules-repository.js';

describe('host alerts: unreachable, data root disk, failed backups', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await startTestApp({ extraHosts: ['elsewhere'], monitoring: { evaluateEveryMs: 100 } });
    admin = await setupAdmin(t.app);
  });
  afterAll(() => t.close());

  const rule = async (body: Record<string, unknown>): Promise<AlertRule> => {
    const res = await admin.post('/api/alerts/rules', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<AlertRule>();
  };
  const firingOf = (ruleId: string) =>
    waitFor('the alert', async () => {
      const alerts = (await admin.get('/api/alerts?state=firing')).json<{ alerts: Alert[] }>();
      return alerts.alerts.find((a) => a.ruleId === ruleId);
    });

  it('fires for a host that cannot be reached, not for the one that can', async () => {
    const unreachable = await rule({ name: 'unreachable', kind: 'host_unreachable' });
    const alert = await firingOf(unreachable.id);
    expect(alert).toMatchObject({
      subject: 'elsewhere',
      hostId: 'elsewhere',
      severity: 'critical',
    });
    expect(alert.summary).toMatch(/^Host elsewhere is unreachable: /);
    await t.services.alertEvaluator.settled();
    const all = (await admin.get('/api/alerts')).json<{ alerts: Alert[] }>().alerts;
    expect(all.filter((a) => a.ruleId === unreachable.id).map((a) => a.subject)).toEqual([
      'elsewhere',
    ]);
  });

  it("fires when the disk under the engine's data root is fuller than the threshold", async () => {
    const disk = await rule({
      name: 'disk',
      kind: 'disk_usage_above',
      threshold: 0.001,
      scope: { type: 'host', host: 'local' },
    });
    const alert = await firingOf(disk.id);
    expect(alert.summary).toMatch(
      /^Docker's data root \/.+ on local is [\d.]+% full \(over 0.001%\)$/,
    );
  });

  it('fires for a scheduled backup that failed, and resolves when the schedule goes', async () => {
    const failed = await rule({ name: 'backups', kind: 'backup_failed' });
    const schedules = new BackupSchedulesRepository(t.db);
    await schedules.save('local', 'no-such-volume-for-alerts', {
      everyHours: 1,
      keep: 1,
      stopContainers: false,
    });
    expect(await t.services.backupSchedules.runDue()).toBe(0);
    const alert = await firingOf(failed.id);
    expect(alert).toMatchObject({ subject: 'local/volume:no-such-volume-for-alerts' });
    expect(alert.summary).toMatch(
      /^The scheduled backup of volume no-such-volume-for-alerts failed: /,
    );
    await schedules.delete('local', 'no-such-volume-for-alerts');
    t.services.alertEvaluator.schedule();
    await waitFor('the backup alert to resolve', async () => {
      const res = await admin.get('/api/alerts?state=resolved');
      return res.json<{ alerts: Alert[] }>().alerts.some((a) => a.id === alert.id);
    });
  });
});
