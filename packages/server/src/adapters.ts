// What the composition root hands createServices (services.ts): the database, the engine
// hosts, secrets, configuration and the few things tests replace.
import type { HostMemory } from '@berth/contract';
import type { ProxyConfig, SecurityConfig } from './config/config.js';
import type { SecretBox } from './core/crypto.js';
import type { Db } from './core/db/database.js';
import type { Logger } from './core/logger.js';
import type { EngineHosts } from './docker/engine-hosts.js';
import type { MonitoringOptions } from './modules/alerts/monitoring-services.js';
import type { MetricsConfig } from './modules/metrics/metrics-parts.js';
import type { DeliveryOptions } from './modules/notifications/notifier.js';
import type { StackEngine } from './modules/stacks/stack-parts.js';

export interface Adapters {
  db: Db;
  hosts: EngineHosts;
  box: SecretBox;
  logger: Logger;
  security: SecurityConfig;
  version: string;
  startedAt: Date;
  readLocalModel: () => Promise<string | null>;
  readLocalMemory: () => Promise<HostMemory | null>;
  /** Image of the helper containers that reach volume contents. */
  helperImage: string;
  /** Where volume backups are written. */
  backupDir: string;
  /** Where stack folders live: `<dataDir>/stacks`. */
  stacksDir: string;
  /** Berth's TLS certificate (PEM), whose key agents pin; null with TLS off. */
  certificate: Buffer | null;
  /** The metrics sampler's interval and retention (BERTH_METRICS_*); defaults without. */
  metrics?: MetricsConfig;
  /** Another compose loader and runtime than Berth's own (tests of the stacks service's logic). */
  stackEngine?: StackEngine;
  /** Notification retries and record keeping (short in tests). */
  notificationDelivery?: Partial<DeliveryOptions>;
  now?: () => number;
  /** Restart-loop policy, evaluation tick and retention of the health history and alerts. */
  monitoring?: MonitoringOptions;
  /** Caddy's admin API and the check loop (BERTH_CADDY_*, BERTH_PROXY_CHECK_SECONDS). */
  proxy?: ProxyConfig;
}
