import type { Db } from '../../core/db/database.js';
import type { Logger } from '../../core/logger.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { MetricsRepository, type Retention } from './metrics-repository.js';
import { MetricsSampler } from './metrics-sampler.js';
import { MetricsService } from './metrics-service.js';

/** BERTH_METRICS_*: the sampler's interval (0: off) and how long history is kept. */
export interface MetricsConfig {
  intervalSeconds: number;
  retention: Retention;
}

/** Approximate bytes a row takes with its share of the indexes, for the size budget in MB. */
export const METRIC_ROW_BYTES = 160;

export const DEFAULT_METRICS: MetricsConfig = {
  intervalSeconds: 15,
  retention: {
    rawSeconds: 24 * 3600,
    minuteSeconds: 7 * 86_400,
    quarterSeconds: 90 * 86_400,
    maxRows: Math.floor((512 * 1_000_000) / METRIC_ROW_BYTES),
  },
};

/** The sampler (started by main, or by a test that asks) and the history it feeds. */
export function metricsServices(
  hosts: EngineHosts,
  db: Db,
  logger: Logger,
  config: MetricsConfig,
  now?: () => number,
) {
  const repository = new MetricsRepository(db);
  return {
    metricsSampler: new MetricsSampler(hosts, repository, logger, {
      intervalMs: config.intervalSeconds * 1000,
      now,
    }),
    metrics: new MetricsService(hosts, repository, {
      retention: config.retention,
      intervalSeconds: config.intervalSeconds,
      now,
    }),
  };
}
