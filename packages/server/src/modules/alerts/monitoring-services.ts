import type { Db } from '../../core/db/database.js';
import type { Logger } from '../../core/logger.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { HealthHistoryService } from '../health-history/health-history-service.js';
import type {
  IncidentRecorder,
  IncidentRecorderOptions,
} from '../health-history/incident-recorder.js';
import { IncidentsRepository } from '../health-history/incidents-repository.js';
import { AlertEvaluator, type AlertEvaluatorOptions } from './alert-evaluator.js';
import type { AlertSender } from './alert-notifications.js';
import { AlertRulesRepository } from './alert-rules-repository.js';
import { AlertRulesService } from './alert-rules-service.js';
import { AlertsRepository } from './alerts-repository.js';
import { AlertsService } from './alerts-service.js';

export interface MonitoringOptions {
  incidents?: Pick<IncidentRecorderOptions, 'restartLoop' | 'retentionMs' | 'maxPerHost'>;
  /** How often time-based alert changes are checked (default 15 s). */
  evaluateEveryMs?: number;
  /** Where notifications go instead of the Notifier. */
  sender?: AlertSender;
}

/** The health history's reader and the alerts: rules, evaluator, alerts and silences. */
export function monitoringServices(deps: {
  db: Db;
  hosts: EngineHosts;
  incidents: IncidentRecorder;
  logger: Logger;
  environments: (hostId: string) => Promise<Map<string, string>>;
  updates: () => Promise<Map<string, Set<string>>>;
  metrics: AlertEvaluatorOptions['metrics'];
  cpus: AlertEvaluatorOptions['cpus'];
  /** The Notifier; `options.sender` instead when given. */
  notifier: AlertSender;
  /** The notification channels there are, for the rules' channel ids. */
  channelIds: () => Promise<Set<string>>;
  options?: MonitoringOptions;
}) {
  const repository = new AlertsRepository(deps.db);
  const alertRules = new AlertRulesService(
    new AlertRulesRepository(deps.db),
    deps.hosts,
    deps.channelIds,
  );
  const alertEvaluator = new AlertEvaluator({
    hosts: deps.hosts,
    rules: alertRules,
    repository,
    incidents: deps.incidents,
    sender: deps.options?.sender ?? deps.notifier,
    logger: deps.logger,
    environments: deps.environments,
    updates: deps.updates,
    metrics: deps.metrics,
    cpus: deps.cpus,
    tickMs: deps.options?.evaluateEveryMs,
  });
  alertEvaluator.start();
  return {
    incidents: deps.incidents,
    healthHistory: new HealthHistoryService(deps.hosts, new IncidentsRepository(deps.db)),
    alertRules,
    alertEvaluator,
    alerts: new AlertsService(repository, alertEvaluator),
  };
}
