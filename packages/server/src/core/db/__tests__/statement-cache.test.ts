import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { reusingStatements } from '../database.js';

interface Db {
  items: { id: number; name: string };
}

describe('prepared statements', () => {
  it('prepares a query run on every request once, and still reads fresh rows', async () => {
    const sqlite = new SQLite(':memory:');
    let prepared = 0;
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = (text: string) => {
      prepared += 1;
      return prepare(text);
    };
    const db = new Kysely<Db>({
      dialect: new SqliteDialect({ database: reusingStatements(sqlite) }),
    });
    await db.schema
      .createTable('items')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .execute();
    const before = prepared;
    for (let i = 0; i < 100; i += 1) {
      await db
        .insertInto('items')
        .values({ id: i, name: `n${i}` })
        .execute();
      const row = await db.selectFrom('items').selectAll().where('id', '=', i).executeTakeFirst();
      expect(row).toEqual({ id: i, name: `n${i}` });
    }
    // One insert and one select statement, each prepared once for 100 runs.
    expect(prepared - before).toBe(2);
    const streamed: number[] = [];
    for await (const row of db.selectFrom('items').select('id').orderBy('id').stream())
      streamed.push(row.id);
    expect(streamed).toHaveLength(100);
    await db.destroy();
  });
});
