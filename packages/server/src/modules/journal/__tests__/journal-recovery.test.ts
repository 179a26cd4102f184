import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../../../core/db/database.js';
import type { RawContainerInspect } from '../../../docker/engine-types.js';
import { EngineHosts, type EngineHost } from '../../../docker/engine-hosts.js';
import { SocketProxy } from '../../../testing/socket-proxy.js';
import { testLogger } from '../../../testing/silent-logger.js';
import { startTestApp } from '../../../testing/test-app.js';
import { EngineFixtures, testSocketPath } from '../../../testing/test-engine.js';
import { waitFor } from '../../../testing/wait-for.js';
import { AuditRepository } from '../../audit/audit-repository.js';
import { AuditService } from '../../audit/audit-service.js';
import { JournalRecovery } from '../journal-recovery.js';
import { JournalRepository } from '../journal-repository.js';
import { OperationJournal } from '../operation-journal.js';

const fixtures = new EngineFixtures();
const dir = mkdtempSync(join(tmpdir(), 'berth-journal-'));

afterAll(async () => {
  await fixtures.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('operation journal recovery', () => {
  it('settles what a dead process left on a host unreachable at start, once the host is reachable', async () => {
    // A recreate cut short after its rename: the original stopped, under its aside name.
    const name = fixtures.name('svc');
    const id = await fixtures.createContainer('svc');
    await fixtures.start(id);
    await fixtures.stop(id);
    await fixtures.client.request('POST', `/containers/${id}/rename`, {
      query: { name: `${name}-berth-old-abc123` },
    });
    const proxy = new SocketProxy(join(dir, 'engine.sock'), testSocketPath());
    const app = await startTestApp({ endpoint: { transport: 'unix', socketPath: proxy.path } });
    try {
      const at = new Date().toISOString();
      await new JournalRepository(app.db).insert({
        id: 'left-by-a-dead-process',
        host_id: 'local',
        kind: 'recreate',
        step: 'creating',
        data: JSON.stringify({
          name,
          newName: name,
          oldId: id,
          asideName: `${name}-berth-old-abc123`,
          wasRunning: true,
          environment: null,
        }),
        started_at: at,
        updated_at: at,
      });
      const rows = () => app.db.selectFrom('operation_journal').selectAll().execute();
      app.services.journalRecovery.start();
      expect(app.hosts.get('local')?.state.status.reachable).toBe(false);
      expect(await rows()).toHaveLength(1);

      await proxy.listen();
      await waitFor('the journal settled', async () => (await rows()).length === 0);
      const back = await fixtures.client.request<RawContainerInspect>(
        'GET',
        `/containers/${name}/json`,
      );
      expect(back.Id).toBe(id);
      expect(back.State.Running).toBe(true);
      const audit = await app.services.audit.page({ limit: 10, action: 'operation.recover' });
      expect(audit.entries).toMatchObject([
        {
          target: `local/${name}`,
          outcome: 'success',
          details: { kind: 'recreate', step: 'creating', outcome: 'rolled-back' },
        },
      ]);
    } finally {
      app.services.journalRecovery.stop();
      await app.close();
      await proxy.goDark();
    }
  });

  it('leaves live operations alone, and keeps an entry whose recovery failed for the next pass', async () => {
    const db = openDatabase(':memory:');
    await migrateToLatest(db);
    const logger = testLogger();
    const journal = new OperationJournal(new JournalRepository(db));
    const audit = new AuditService(new AuditRepository(db), logger);
    const data = {
      volume: 'v',
      archive: '/nowhere/a.tar.gz',
      meta: '/nowhere/a.json',
      stopped: [],
    };
    const live = await journal.begin('backup', 'local', 'copying', data);
    const dead = await journal.begin('backup', 'local', 'copying', data);
    dead.release();

    const seen: string[] = [];
    let fail = true;
    const recovery = new JournalRecovery(
      journal,
      new EngineHosts([], logger),
      {
        recreate: () => Promise.reject(new Error('no recreate was journalled')),
        backup: (_host, entry) => {
          seen.push(entry.id);
          if (fail) return Promise.reject(new Error('engine said no'));
          return Promise.resolve({ outcome: 'rolled-back', target: entry.data.volume });
        },
        restore: () => Promise.reject(new Error('no restore was journalled')),
      },
      audit,
      logger,
    );
    // Only the id is read: no engine is involved in this pass.
    const host = { id: 'local' } as unknown as EngineHost;

    await recovery.schedule(host);
    expect(seen).toEqual([dead.id]);
    expect((await journal.unfinished('local')).map((e) => e.id)).toEqual([dead.id]);
    fail = false;
    await recovery.schedule(host);
    expect(seen).toEqual([dead.id, dead.id]);
    expect(await journal.unfinished('local')).toEqual([]);
    const outcomes = (await audit.page({ limit: 10, action: 'operation.recover' })).entries.map(
      (e) => `${e.outcome}:${JSON.stringify(e.details)}`,
    );
    expect(outcomes).toEqual([
      expect.stringMatching(/^success:.*"outcome":"rolled-back"/),
      expect.stringMatching(/^failure:.*engine said no/),
    ]);

    await live.finish();
    expect(await db.selectFrom('operation_journal').selectAll().execute()).toEqual([]);
    await db.destroy();
  });
});
