import type { Db } from '../../core/db/database.js';

export interface StackVariableRow {
  name: string;
  /** Sealed when `secret`. */
  value: string;
  secret: boolean;
}

/** Berth's global stack variables per host. No product logic. */
export class StackVariablesRepository {
  constructor(private readonly db: Db) {}

  async list(hostId: string): Promise<StackVariableRow[]> {
    const rows = await this.db
      .selectFrom('stack_variables')
      .select(['name', 'value', 'secret'])
      .where('host_id', '=', hostId)
      .orderBy('name')
      .execute();
    return rows.map((r) => ({ name: r.name, value: r.value, secret: r.secret === 1 }));
  }

  /** Replaces the host's whole set in one transaction. */
  async replace(hostId: string, rows: StackVariableRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('stack_variables').where('host_id', '=', hostId).execute();
      if (rows.length === 0) return;
      await trx
        .insertInto('stack_variables')
        .values(
          rows.map((r) => ({
            host_id: hostId,
            name: r.name,
            value: r.value,
            secret: r.secret ? 1 : 0,
          })),
        )
        .execute();
    });
  }
}
