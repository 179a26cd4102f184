import type { Selectable } from 'kysely';
import type { Db } from '../../core/db/database.js';
import type { OperationJournalTable } from '../../core/db/schema.js';

export type JournalRow = Selectable<OperationJournalTable>;

/** Rows of the operation journal. No product logic. */
export class JournalRepository {
  constructor(private readonly db: Db) {}

  async insert(row: JournalRow): Promise<void> {
    await this.db.insertInto('operation_journal').values(row).execute();
  }

  async update(id: string, step: string, data: string, at: string): Promise<void> {
    await this.db
      .updateTable('operation_journal')
      .set({ step, data, updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('operation_journal').where('id', '=', id).execute();
  }

  forHost(hostId: string): Promise<JournalRow[]> {
    return this.db
      .selectFrom('operation_journal')
      .selectAll()
      .where('host_id', '=', hostId)
      .orderBy('started_at')
      .execute();
  }
}
