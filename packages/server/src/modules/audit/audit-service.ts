import type { AuditPage, AuditQuery } from '@berth/contract';
import type { AuditActor, AuditRecord, AuditSink } from '../../http/audit-sink.js';
import type { Logger } from '../../core/logger.js';
import { errorMessage } from '../../core/errors.js';
import type { AuditFilter, AuditRepository } from './audit-repository.js';
import { auditCsvHeader, auditCsvRow } from './audit-csv.js';

export type { AuditActor, AuditRecord } from '../../http/audit-sink.js';

export const SYSTEM_ACTOR: AuditActor = {
  userId: null,
  username: null,
  tokenId: null,
  ip: null,
  userAgent: null,
};

export class AuditService implements AuditSink {
  constructor(
    private readonly repository: AuditRepository,
    private readonly logger: Logger,
  ) {}

  /** Writes one entry. A failure to audit is logged loudly, never silently dropped. */
  async record(record: AuditRecord): Promise<void> {
    try {
      await this.repository.insert({
        at: new Date().toISOString(),
        user_id: record.actor.userId,
        username: record.actor.username,
        token_id: record.actor.tokenId,
        ip: record.actor.ip,
        user_agent: record.actor.userAgent?.slice(0, 512) ?? null,
        action: record.action,
        target: record.target?.slice(0, 512) ?? null,
        outcome: record.outcome,
        status: record.status ?? null,
        details: record.details ? JSON.stringify(record.details) : null,
      });
    } catch (err) {
      this.logger.error(
        { err: errorMessage(err), action: record.action },
        'audit entry could not be written',
      );
      throw err;
    }
  }

  async page(query: AuditQuery): Promise<AuditPage> {
    const { limit, ...filter } = query;
    const entries = await this.repository.find(filter, limit + 1);
    const more = entries.length > limit;
    const page = more ? entries.slice(0, limit) : entries;
    return { entries: page, nextBefore: more ? (page.at(-1)?.id ?? null) : null };
  }

  /** The matching entries as CSV or JSON text, oldest first, produced a page at a time. */
  async *export(filter: AuditFilter, format: 'csv' | 'json'): AsyncGenerator<string> {
    let first = true;
    yield format === 'csv' ? auditCsvHeader() : '[';
    for await (const entry of this.repository.stream(filter)) {
      if (format === 'csv') yield auditCsvRow(entry);
      else {
        yield (first ? '\n' : ',\n') + JSON.stringify(entry);
        first = false;
      }
    }
    if (format === 'json') yield '\n]\n';
  }

  async prune(retentionDays: number, now = Date.now()): Promise<number> {
    const cutoff = new Date(now - retentionDays * 86_400_000).toISOString();
    const removed = await this.repository.deleteOlderThan(cutoff);
    if (removed > 0) this.logger.info({ removed, retentionDays }, 'pruned old audit entries');
    return removed;
  }
}
