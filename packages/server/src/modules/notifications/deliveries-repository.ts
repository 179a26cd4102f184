import type { DeliveryStatus } from '@berth/contract';
import type { Db } from '../../core/db/database.js';

export interface DeliveryRecord {
  id: number;
  channelId: string;
  channelName: string | null;
  /** JSON AlertNotification. */
  notification: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface DeliveryOutcome {
  status: DeliveryStatus;
  attempts: number;
  /** When to try again (pending only). */
  nextAttemptAt: string | null;
  lastError: string | null;
  at: string;
}

/**
 * The delivery queue and its records: a pending row with a `next_attempt_at` is due then; a row
 * without one is being sent right now by a "send test" (never picked up by the queue).
 */
export class DeliveriesRepository {
  constructor(private readonly db: Db) {}

  async insert(
    channelId: string,
    notification: string,
    at: string,
    nextAttemptAt: string | null,
  ): Promise<number> {
    const row = await this.db
      .insertInto('notification_deliveries')
      .values({
        channel_id: channelId,
        notification,
        status: 'pending',
        next_attempt_at: nextAttemptAt,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Pending deliveries due at `at`, oldest first. */
  async due(at: string, limit: number): Promise<DeliveryRecord[]> {
    return this.select()
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', at)
      .orderBy('d.next_attempt_at')
      .orderBy('d.id')
      .limit(limit)
      .execute()
      .then((rows) => rows.map(toRecord));
  }

  /** When the next pending delivery is due, if any is. */
  async nextDueAt(): Promise<string | null> {
    const row = await this.db
      .selectFrom('notification_deliveries')
      .select((eb) => eb.fn.min('next_attempt_at').as('next'))
      .where('status', '=', 'pending')
      .where('next_attempt_at', 'is not', null)
      .executeTakeFirst();
    return row?.next ?? null;
  }

  async record(id: number, outcome: DeliveryOutcome): Promise<void> {
    await this.db
      .updateTable('notification_deliveries')
      .set({
        status: outcome.status,
        attempts: outcome.attempts,
        next_attempt_at: outcome.nextAttemptAt,
        last_error: outcome.lastError,
        updated_at: outcome.at,
        ...(outcome.status === 'sent' ? { sent_at: outcome.at } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Fails the deliveries a "send test" left unsettled when its process ended. */
  async failInterrupted(at: string): Promise<void> {
    await this.db
      .updateTable('notification_deliveries')
      .set({ status: 'failed', last_error: 'interrupted by a restart', updated_at: at })
      .where('status', '=', 'pending')
      .where('next_attempt_at', 'is', null)
      .execute();
  }

  async list(filter: {
    channel?: string;
    status?: DeliveryStatus;
    limit: number;
  }): Promise<DeliveryRecord[]> {
    let query = this.select().orderBy('d.id', 'desc').limit(filter.limit);
    if (filter.channel !== undefined) query = query.where('d.channel_id', '=', filter.channel);
    if (filter.status !== undefined) query = query.where('d.status', '=', filter.status);
    return (await query.execute()).map(toRecord);
  }

  /**
   * Forgets finished deliveries older than `before`, and all but the newest `keep` finished
   * ones; pending ones stay until they are settled.
   */
  async prune(before: string, keep: number): Promise<number> {
    const old = await this.db
      .deleteFrom('notification_deliveries')
      .where('status', '!=', 'pending')
      .where('updated_at', '<', before)
      .executeTakeFirst();
    const cutoff = await this.db
      .selectFrom('notification_deliveries')
      .select('id')
      .where('status', '!=', 'pending')
      .orderBy('id', 'desc')
      .offset(keep)
      .limit(1)
      .executeTakeFirst();
    let extra = 0n;
    if (cutoff) {
      const result = await this.db
        .deleteFrom('notification_deliveries')
        .where('status', '!=', 'pending')
        .where('id', '<=', cutoff.id)
        .executeTakeFirst();
      extra = result.numDeletedRows;
    }
    return Number(old.numDeletedRows + extra);
  }

  private select() {
    return this.db
      .selectFrom('notification_deliveries as d')
      .leftJoin('notification_channels as c', 'c.id', 'd.channel_id')
      .select([
        'd.id',
        'd.channel_id',
        'c.name as channel_name',
        'd.notification',
        'd.status',
        'd.attempts',
        'd.next_attempt_at',
        'd.last_error',
        'd.created_at',
        'd.sent_at',
      ]);
  }
}

function toRecord(r: {
  id: number;
  channel_id: string;
  channel_name: string | null;
  notification: string;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}): DeliveryRecord {
  return {
    id: r.id,
    channelId: r.channel_id,
    channelName: r.channel_name,
    notification: r.notification,
    status: r.status as DeliveryStatus,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
  };
}
