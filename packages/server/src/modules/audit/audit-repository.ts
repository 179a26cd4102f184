import type { AuditEntry, AuditOutcome } from '@berth/contract';
import type { Insertable, Selectable, SelectQueryBuilder } from 'kysely';
import type { Db } from '../../core/db/database.js';
import type { AuditLogTable, Database } from '../../core/db/schema.js';

export interface AuditFilter {
  user?: string;
  action?: string;
  target?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
  before?: number;
}

/** The audit log: insert, read and prune by age. Nothing else may touch it. */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async insert(entry: Insertable<AuditLogTable>): Promise<void> {
    await this.db.insertInto('audit_log').values(entry).execute();
  }

  async find(filter: AuditFilter, limit: number): Promise<AuditEntry[]> {
    const rows = await this.filtered(filter).orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toEntry);
  }

  /** Every matching entry, oldest first, a page at a time (for exports). */
  async *stream(filter: AuditFilter, pageSize = 1000): AsyncGenerator<AuditEntry> {
    let after = 0;
    for (;;) {
      const rows = await this.filtered(filter)
        .where('id', '>', after)
        .orderBy('id', 'asc')
        .limit(pageSize)
        .execute();
      for (const row of rows) yield toEntry(row);
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      after = last.id;
    }
  }

  async deleteOlderThan(cutoffIso: string): Promise<number> {
    const result = await this.db
      .deleteFrom('audit_log')
      .where('at', '<', cutoffIso)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private filtered(
    filter: AuditFilter,
  ): SelectQueryBuilder<Database, 'audit_log', Selectable<AuditLogTable>> {
    let query = this.db.selectFrom('audit_log').selectAll();
    if (filter.user) query = query.where('username', '=', filter.user);
    if (filter.action) {
      query = filter.action.endsWith('.')
        ? query.where('action', 'like', `${filter.action.replace(/[%_\\]/g, '\\$&')}%`)
        : query.where('action', '=', filter.action);
    }
    if (filter.target) query = query.where('target', '=', filter.target);
    if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
    if (filter.from) query = query.where('at', '>=', filter.from);
    if (filter.to) query = query.where('at', '<=', filter.to);
    if (filter.before) query = query.where('id', '<', filter.before);
    return query;
  }
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    userId: row.user_id,
    username: row.username,
    tokenId: row.token_id,
    ip: row.ip,
    userAgent: row.user_agent,
    action: row.action,
    target: row.target,
    outcome: row.outcome as AuditOutcome,
    status: row.status,
    details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
  };
}
