import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  SqliteDialect,
  sql,
  type MigrationResult,
  type SqliteDatabase,
} from 'kysely';
import { migrations } from './migrations/index.js';
import { errorMessage } from '../errors.js';
import { ensurePrivateFile, tightenMode } from '../private-files.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/**
 * Opens (creating if needed) the SQLite database in WAL mode. ':memory:' works for tests. The
 * database and its -wal and -shm files are readable by their owner only (0600; SQLite gives the
 * -wal and -shm files the database file's mode), and looser existing ones are tightened.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    ensurePrivateFile(file);
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  if (file !== ':memory:') for (const suffix of ['-wal', '-shm']) tightenMode(file + suffix, 0o600);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: reusingStatements(sqlite) }),
  });
}

const MAX_CACHED_STATEMENTS = 500;

/**
 * Kysely prepares every query it runs; the same few queries (a session, its user) run on
 * every request, so their prepared statements are kept and reused. A statement still busy
 * (a streamed query being read) is never handed out twice: a fresh one is prepared instead.
 */
export function reusingStatements(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text) {
      const cached = cache.get(text);
      if (cached && !cached.busy) return cached;
      const statement = sqlite.prepare(text);
      if (cache.size >= MAX_CACHED_STATEMENTS) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

/** Applies every pending migration; throws, naming the migration, when one fails. */
export async function migrateToLatest(db: Db): Promise<MigrationResult[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error');
    const reason = errorMessage(error);
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return results;
}

/** A cheap round trip that proves the database answers. */
export async function probeDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
