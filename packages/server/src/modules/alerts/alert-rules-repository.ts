import type { AlertRule, AlertRuleKind, AlertScope, AlertSeverity } from '@berth/contract';
import type { Db } from '../../core/db/database.js';
import type { AlertRulesTable } from '../../core/db/schema.js';

/** Stored alert rules. */
export class AlertRulesRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<AlertRule[]> {
    const rows = await this.db.selectFrom('alert_rules').selectAll().orderBy('name').execute();
    return rows.map(toRule);
  }

  async get(id: string): Promise<AlertRule | undefined> {
    const row = await this.db
      .selectFrom('alert_rules')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRule(row);
  }

  async save(rule: AlertRule): Promise<void> {
    const row = toRow(rule);
    await this.db
      .insertInto('alert_rules')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('alert_rules').where('id', '=', id).execute();
    return Number(result[0]?.numDeletedRows ?? 0) > 0;
  }
}

function toRow(rule: AlertRule): AlertRulesTable {
  return {
    id: rule.id,
    name: rule.name,
    kind: rule.kind,
    scope: JSON.stringify(rule.scope),
    threshold: rule.threshold,
    for_minutes: rule.forMinutes,
    repeat_minutes: rule.repeatMinutes,
    notify_resolved: rule.notifyResolved ? 1 : 0,
    severity: rule.severity,
    channels: JSON.stringify(rule.channels),
    enabled: rule.enabled ? 1 : 0,
    created_at: rule.createdAt,
    updated_at: rule.updatedAt,
  };
}

function toRule(row: AlertRulesTable): AlertRule {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as AlertRuleKind,
    scope: JSON.parse(row.scope) as AlertScope,
    threshold: row.threshold,
    forMinutes: row.for_minutes,
    repeatMinutes: row.repeat_minutes,
    notifyResolved: row.notify_resolved === 1,
    severity: row.severity as AlertSeverity,
    channels: JSON.parse(row.channels) as string[],
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
