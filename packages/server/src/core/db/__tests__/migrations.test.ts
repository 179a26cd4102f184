import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../migrations/index.js';
import { migrateToLatest, openDatabase, probeDatabase } from '../database.js';
import { HostsRepository } from '../../../modules/hosts/hosts-repository.js';

describe('database migrations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-db-'));
  const file = join(dir, 'nested', 'berth.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates an empty database to the latest schema, in WAL mode', async () => {
    const db = openDatabase(file);
    const results = await migrateToLatest(db);
    expect(results.map((r) => [r.migrationName, r.status])).toEqual(
      Object.keys(migrations).map((name) => [name, 'Success']),
    );
    const tables = (await db.introspection.getTables()).map((t) => t.name).sort();
    expect(tables).toEqual([
      'agent_hosts',
      'alert_rules',
      'alert_silences',
      'alerts',
      'api_tokens',
      'audit_log',
      'container_environments',
      'container_incidents',
      'container_updates',
      'host_security',
      'hosts',
      'image_previous_tags',
      'image_update_checks',
      'ip_reservations',
      'metric_points',
      'notification_channels',
      'notification_deliveries',
      'operation_journal',
      'proxy_routes',
      'proxy_settings',
      'proxy_wake_stats',
      'recovery_codes',
      'registries',
      'sessions',
      'settings',
      'stack_adoptions',
      'stack_deploys',
      'stack_variables',
      'stack_versions',
      'user_hosts',
      'user_preferences',
      'users',
      'volume_backup_schedules',
    ]);
    await new HostsRepository(db).upsert({
      id: 'local',
      name: 'local',
      transport: 'unix',
      endpoint: 'unix:///a.sock',
    });
    await db.destroy();
  });

  it('leaves an already-migrated database and its data as they were', async () => {
    const db = openDatabase(file);
    expect(await migrateToLatest(db)).toEqual([]);
    await probeDatabase(db);
    const repo = new HostsRepository(db);
    expect(await repo.list()).toEqual([
      { id: 'local', name: 'local', transport: 'unix', endpoint: 'unix:///a.sock' },
    ]);
    await repo.upsert({
      id: 'local',
      name: 'local',
      transport: 'unix',
      endpoint: 'unix:///b.sock',
    });
    expect((await repo.list())[0]?.endpoint).toBe('unix:///b.sock');
    await db.destroy();
  });

  it('runs with journal_mode=WAL', async () => {
    const db = openDatabase(file);
    const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    expect(rows[0]?.journal_mode).toBe('wal');
    await db.destroy();
  });
});
