import { sql } from 'kysely';
import type { Db } from '../../core/db/database.js';
import type { MetricPointsTable } from '../../core/db/schema.js';

/** One subject's figures at one round: gauges as read, counters as rates per second. */
export interface StoredPoint {
  /** A container ID, or `host` for the host's totals. */
  subject: string;
  cpu: number;
  mem: number;
  memLimit: number;
  rx: number;
  tx: number;
  rd: number;
  wr: number;
  pids: number;
}

/** Stored resolutions, seconds per row (0: raw samples). */
export const RESOLUTIONS = [0, 60, 900] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export interface Retention {
  /** How long each resolution is kept, seconds. */
  rawSeconds: number;
  minuteSeconds: number;
  quarterSeconds: number;
  /** Most rows kept in all (the size budget); the oldest go first. */
  maxRows: number;
}

/** A point of a query: weighted averages over its step, maxima where named. */
export interface QueriedPoint {
  bucket: number;
  cpu: number;
  cpuMax: number;
  mem: number;
  memMax: number;
  memLimit: number;
  rx: number;
  tx: number;
  rd: number;
  wr: number;
  pids: number;
}

type Row = MetricPointsTable;

function toRow(hostId: string, resolution: Resolution, bucket: number, p: StoredPoint): Row {
  return {
    host_id: hostId,
    subject: p.subject,
    resolution,
    bucket,
    n: 1,
    cpu: p.cpu,
    cpu_max: p.cpu,
    mem: p.mem,
    mem_max: p.mem,
    mem_limit: p.memLimit,
    rx: p.rx,
    tx: p.tx,
    rd: p.rd,
    wr: p.wr,
    pids: p.pids,
  };
}

/** A running average: the stored one over `n` samples folded with the new row's. */
const avg = (column: string) =>
  sql<number>`(${sql.ref(column)} * n + excluded.${sql.ref(column)} * excluded.n) / (n + excluded.n)`;
const max = (column: string) => sql<number>`max(${sql.ref(column)}, excluded.${sql.ref(column)})`;

/** Rows per insert statement: well under SQLite's bound on parameters (15 per row). */
const CHUNK = 500;

export class MetricsRepository {
  constructor(private readonly db: Db) {}

  /**
   * One round of a host in one transaction: the raw rows and their fold into the 1-minute and
   * 15-minute rollups (each rollup row a running average, so they are right at any moment).
   */
  async write(hostId: string, atSeconds: number, points: StoredPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.db.transaction().execute(async (tx) => {
      for (const resolution of RESOLUTIONS) {
        const bucket = resolution === 0 ? atSeconds : atSeconds - (atSeconds % resolution);
        const rows = points.map((p) => toRow(hostId, resolution, bucket, p));
        for (let i = 0; i < rows.length; i += CHUNK) {
          await tx
            .insertInto('metric_points')
            .values(rows.slice(i, i + CHUNK))
            .onConflict((oc) =>
              oc.columns(['host_id', 'subject', 'resolution', 'bucket']).doUpdateSet({
                n: sql<number>`n + excluded.n`,
                cpu: avg('cpu'),
                cpu_max: max('cpu_max'),
                mem: avg('mem'),
                mem_max: max('mem_max'),
                mem_limit: max('mem_limit'),
                rx: avg('rx'),
                tx: avg('tx'),
                rd: avg('rd'),
                wr: avg('wr'),
                pids: max('pids'),
              }),
            )
            .execute();
        }
      }
    });
  }

  /** Points of one subject in [from, to), `step` seconds each (a multiple of the resolution). */
  async query(
    hostId: string,
    subject: string,
    resolution: Resolution,
    fromSeconds: number,
    toSeconds: number,
    stepSeconds: number,
  ): Promise<QueriedPoint[]> {
    // `%` works in integers whatever the bound parameter's type (a JS number may bind as REAL).
    const step = Math.max(1, Math.floor(stepSeconds));
    const weighted = <C extends string>(column: C) =>
      sql<number>`sum(${sql.ref(column)} * n) / sum(n)`.as(column);
    const rows = await this.db
      .selectFrom('metric_points')
      .select([
        sql<number>`bucket - bucket % ${step}`.as('bucket'),
        weighted('cpu'),
        sql<number>`max(cpu_max)`.as('cpu_max'),
        weighted('mem'),
        sql<number>`max(mem_max)`.as('mem_max'),
        sql<number>`max(mem_limit)`.as('mem_limit'),
        weighted('rx'),
        weighted('tx'),
        weighted('rd'),
        weighted('wr'),
        sql<number>`max(pids)`.as('pids'),
      ])
      .where('host_id', '=', hostId)
      .where('subject', '=', subject)
      .where('resolution', '=', resolution)
      .where('bucket', '>=', fromSeconds)
      .where('bucket', '<', toSeconds)
      .groupBy(sql`bucket - bucket % ${step}`)
      .orderBy('bucket')
      .execute();
    return rows.map((r) => ({
      bucket: r.bucket,
      cpu: r.cpu,
      cpuMax: r.cpu_max,
      mem: r.mem,
      memMax: r.mem_max,
      memLimit: r.mem_limit,
      rx: r.rx,
      tx: r.tx,
      rd: r.rd,
      wr: r.wr,
      pids: r.pids,
    }));
  }

  /**
   * Drops what is past each resolution's retention, then, while over the size budget, the
   * oldest rows (raw samples first: the rollups carry the long view). Returns rows removed.
   */
  async prune(nowSeconds: number, retention: Retention): Promise<number> {
    const keep: Record<Resolution, number> = {
      0: retention.rawSeconds,
      60: retention.minuteSeconds,
      900: retention.quarterSeconds,
    };
    let removed = 0;
    for (const resolution of RESOLUTIONS) {
      const result = await this.db
        .deleteFrom('metric_points')
        .where('resolution', '=', resolution)
        .where('bucket', '<', nowSeconds - keep[resolution])
        .executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
    let over = (await this.count()) - retention.maxRows;
    for (const resolution of RESOLUTIONS) {
      if (over <= 0) break;
      const result = await sql`
        DELETE FROM metric_points WHERE rowid IN (
          SELECT rowid FROM metric_points WHERE resolution = ${resolution}
          ORDER BY bucket LIMIT ${over})`.execute(this.db);
      const gone = Number(result.numAffectedRows ?? 0n);
      removed += gone;
      over -= gone;
    }
    return removed;
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('metric_points')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
