import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const modulesDir = fileURLToPath(new URL('../../../modules', import.meta.url));

/** What only a repository may do: hold the database handle, or build and run queries. */
const DATABASE_USE: [RegExp, string][] = [
  [/\.(selectFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)\s*\(/, 'a query'],
  [/\.transaction\s*\(\s*\)/, 'a transaction'],
  [/\bsql\s*(<[^>]*>)?\s*`/, 'raw SQL'],
  [/from\s+'kysely'/, 'an import of kysely'],
  [/from\s+'[./]*core\/db\/(database|schema)\.js'/, 'an import of the database'],
];

export function databaseUse(source: string): string[] {
  return DATABASE_USE.filter(([pattern]) => pattern.test(source)).map(([, what]) => what);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === '__tests__' || entry.name === 'migrations' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('database calls', () => {
  it('are recognised in a service that makes them', () => {
    const service = `import type { Db } from '../../core/db/database.js';
      export class Leaky { constructor(private readonly db: Db) {}
        list() { return this.db.selectFrom('users').selectAll().execute(); } }`;
    expect(databaseUse(service)).toEqual(['a query', 'an import of the database']);
    expect(databaseUse('await db.transaction().execute(async (trx) => {});')).toEqual([
      'a transaction',
    ]);
    expect(databaseUse('const r = await sql<{ n: number }>`select 1`.execute(db);')).toEqual([
      'raw SQL',
    ]);
    expect(databaseUse("import type { Selectable } from 'kysely';")).toEqual([
      'an import of kysely',
    ]);
    expect(databaseUse('const users = await this.users.list(); // not a query')).toEqual([]);
  });

  it('are made in modules only by *-repository.ts files', () => {
    const files = sourceFiles(modulesDir);
    expect(files.length).toBeGreaterThan(50);
    const offenders = files
      .filter((file) => !file.endsWith('-repository.ts'))
      .flatMap((file) => {
        const uses = databaseUse(readFileSync(file, 'utf8'));
        return uses.length > 0 ? [`${relative(modulesDir, file)}: ${uses.join(', ')}`] : [];
      });
    expect(offenders).toEqual([]);
  });
});
