import type { Kysely, Migration } from 'kysely';

/**
 * Metrics history: one row per subject (a container ID, or `host` for a host's totals), stored
 * resolution (0 raw, 60 and 900 seconds rollups) and bucket start (epoch seconds). A rollup row
 * is a running average over its `n` samples (and maxima), so no job recomputes anything.
 */
export const metrics: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('metric_points')
      .addColumn('host_id', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('resolution', 'integer', (c) => c.notNull())
      .addColumn('bucket', 'integer', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
      .addColumn('cpu', 'real', (c) => c.notNull())
      .addColumn('cpu_max', 'real', (c) => c.notNull())
      .addColumn('mem', 'real', (c) => c.notNull())
      .addColumn('mem_max', 'real', (c) => c.notNull())
      .addColumn('mem_limit', 'real', (c) => c.notNull())
      .addColumn('rx', 'real', (c) => c.notNull())
      .addColumn('tx', 'real', (c) => c.notNull())
      .addColumn('rd', 'real', (c) => c.notNull())
      .addColumn('wr', 'real', (c) => c.notNull())
      .addColumn('pids', 'real', (c) => c.notNull())
      .addPrimaryKeyConstraint('metric_points_pk', ['host_id', 'subject', 'resolution', 'bucket'])
      .execute();
    // Retention and the size budget drop the oldest rows of a resolution first.
    await db.schema
      .createIndex('metric_points_age')
      .on('metric_points')
      .columns(['resolution', 'bucket'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('metric_points').execute();
  },
};
