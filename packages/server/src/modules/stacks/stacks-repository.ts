import type { Db } from '../../core/db/database.js';

export interface StackVersionRow {
  id: number;
  at: string;
  by: string | null;
  message: string | null;
  /** path → text */
  files: Record<string, string>;
}

export interface StackDeployRow {
  at: string;
  by: string | null;
  ok: boolean;
}

export interface StackAdoptionRow {
  stack: string;
  workingDir: string;
  configFiles: string[];
  adoptedAt: string;
  adoptedBy: string | null;
}

const parseFiles = (text: string): Record<string, string> =>
  JSON.parse(text) as Record<string, string>;

/** Stack versions, last deploys and adoptions. No product logic. */
export class StacksRepository {
  constructor(private readonly db: Db) {}

  async addVersion(
    hostId: string,
    stack: string,
    version: Omit<StackVersionRow, 'id'>,
  ): Promise<number> {
    const row = await this.db
      .insertInto('stack_versions')
      .values({
        host_id: hostId,
        stack,
        at: version.at,
        by: version.by,
        message: version.message,
        files: JSON.stringify(version.files),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Keeps the newest `keep` versions of the stack. */
  async pruneVersions(hostId: string, stack: string, keep: number): Promise<void> {
    const kept = this.db
      .selectFrom('stack_versions')
      .select('id')
      .where('host_id', '=', hostId)
      .where('stack', '=', stack)
      .orderBy('id', 'desc')
      .limit(keep);
    await this.db
      .deleteFrom('stack_versions')
      .where('host_id', '=', hostId)
      .where('stack', '=', stack)
      .where('id', 'not in', kept)
      .execute();
  }

  async versions(hostId: string, stack: string): Promise<StackVersionRow[]> {
    const rows = await this.db
      .selectFrom('stack_versions')
      .selectAll()
      .where('host_id', '=', hostId)
      .where('stack', '=', stack)
      .orderBy('id', 'desc')
      .execute();
    return rows.map((r) => ({ ...r, files: parseFiles(r.files) }));
  }

  async version(hostId: string, stack: string, id: number): Promise<StackVersionRow | undefined> {
    const row = await this.db
      .selectFrom('stack_versions')
      .selectAll()
      .where('host_id', '=', hostId)
      .where('stack', '=', stack)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && { ...row, files: parseFiles(row.files) };
  }

  async forgetStack(hostId: string, stack: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const table of ['stack_versions', 'stack_deploys', 'stack_adoptions'] as const)
        await trx
          .deleteFrom(table)
          .where('host_id', '=', hostId)
          .where('stack', '=', stack)
          .execute();
    });
  }

  async recordDeploy(hostId: string, stack: string, deploy: StackDeployRow): Promise<void> {
    const values = { at: deploy.at, by: deploy.by, ok: deploy.ok ? 1 : 0 };
    await this.db
      .insertInto('stack_deploys')
      .values({ host_id: hostId, stack, ...values })
      .onConflict((oc) => oc.columns(['host_id', 'stack']).doUpdateSet(values))
      .execute();
  }

  async deploys(hostId: string): Promise<Map<string, StackDeployRow>> {
    const rows = await this.db
      .selectFrom('stack_deploys')
      .selectAll()
      .where('host_id', '=', hostId)
      .execute();
    return new Map(rows.map((r) => [r.stack, { at: r.at, by: r.by, ok: r.ok === 1 }]));
  }

  async adopt(hostId: string, row: StackAdoptionRow): Promise<void> {
    await this.db
      .insertInto('stack_adoptions')
      .values({
        host_id: hostId,
        stack: row.stack,
        working_dir: row.workingDir,
        config_files: JSON.stringify(row.configFiles),
        adopted_at: row.adoptedAt,
        adopted_by: row.adoptedBy,
      })
      .execute();
  }

  async adoptions(hostId: string): Promise<StackAdoptionRow[]> {
    const rows = await this.db
      .selectFrom('stack_adoptions')
      .selectAll()
      .where('host_id', '=', hostId)
      .execute();
    return rows.map((r) => ({
      stack: r.stack,
      workingDir: r.working_dir,
      configFiles: JSON.parse(r.config_files) as string[],
      adoptedAt: r.adopted_at,
      adoptedBy: r.adopted_by,
    }));
  }
}
