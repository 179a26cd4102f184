import type {
  Alert,
  AlertRuleKind,
  AlertSeverity,
  AlertState,
  Silence,
  SilenceMatchers,
} from '@berth/contract';
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../core/db/database.js';
import type { AlertSilencesTable, AlertsTable } from '../../core/db/schema.js';

/** Stored alerts (firing and resolved) and silences. */
export class AlertsRepository {
  constructor(private readonly db: Db) {}

  async save(alert: Alert): Promise<void> {
    const row = toRow(alert);
    await this.db
      .insertInto('alerts')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }

  async get(id: string): Promise<Alert | undefined> {
    const row = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toAlert(row);
  }

  async list(state: AlertState | undefined, limit: number): Promise<Alert[]> {
    let query = this.db.selectFrom('alerts').selectAll();
    if (state) query = query.where('state', '=', state);
    const rows = await query.orderBy('fired_at', 'desc').limit(limit).execute();
    return rows.map(toAlert);
  }

  /** Keeps the newest `keep` resolved alerts. */
  async pruneResolved(keep: number): Promise<void> {
    const cut = await this.db
      .selectFrom('alerts')
      .select('fired_at')
      .where('state', '=', 'resolved')
      .orderBy('fired_at', 'desc')
      .offset(keep)
      .limit(1)
      .executeTakeFirst();
    if (cut)
      await this.db
        .deleteFrom('alerts')
        .where('state', '=', 'resolved')
        .where('fired_at', '<=', cut.fired_at)
        .execute();
  }

  async saveSilence(silence: Omit<Silence, 'active'>): Promise<void> {
    await this.db
      .insertInto('alert_silences')
      .values({
        id: silence.id,
        matchers: JSON.stringify(silence.matchers),
        ends_at: silence.endsAt,
        comment: silence.comment,
        created_by: silence.createdBy,
        created_at: silence.createdAt,
      })
      .execute();
  }

  async silences(): Promise<Omit<Silence, 'active'>[]> {
    const rows = await this.db
      .selectFrom('alert_silences')
      .selectAll()
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toSilence);
  }

  async endSilence(id: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('alert_silences')
      .set({ ends_at: at })
      .where('id', '=', id)
      .where('ends_at', '>', at)
      .execute();
    return Number(result[0]?.numUpdatedRows ?? 0) > 0;
  }

  async silenceExists(id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('alert_silences')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    return row !== undefined;
  }
}

function toRow(a: Alert): Insertable<AlertsTable> {
  return {
    id: a.id,
    rule_id: a.ruleId,
    rule_name: a.ruleName,
    kind: a.kind,
    severity: a.severity,
    state: a.state,
    subject: a.subject,
    host_id: a.hostId,
    container_name: a.containerName,
    summary: a.summary,
    started_at: a.startedAt,
    fired_at: a.firedAt,
    resolved_at: a.resolvedAt,
    last_notified_at: a.lastNotifiedAt,
    notifications: a.notifications,
    silenced: a.silenced ? 1 : 0,
    acknowledged_at: a.acknowledgedAt,
    acknowledged_by: a.acknowledgedBy,
  };
}

function toAlert(row: Selectable<AlertsTable>): Alert {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    kind: row.kind as AlertRuleKind,
    severity: row.severity as AlertSeverity,
    state: row.state as AlertState,
    subject: row.subject,
    hostId: row.host_id,
    containerName: row.container_name,
    summary: row.summary,
    startedAt: row.started_at,
    firedAt: row.fired_at,
    resolvedAt: row.resolved_at,
    lastNotifiedAt: row.last_notified_at,
    notifications: row.notifications,
    silenced: row.silenced === 1,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
  };
}

function toSilence(row: AlertSilencesTable): Omit<Silence, 'active'> {
  return {
    id: row.id,
    matchers: JSON.parse(row.matchers) as SilenceMatchers,
    endsAt: row.ends_at,
    comment: row.comment,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
