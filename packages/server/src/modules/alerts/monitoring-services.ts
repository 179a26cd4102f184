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
import type { HostHardware } from '../hosts/host-hardware.js';
import type { BackupSchedulesRepository } from '../volumes/backup-schedules-repository.js';

export interface MonitoringOptions {
  incidents?: Pick<IncidentRecorderOptions, 'restartLoop' | 'retentionMs' | 'maxPerHost'>;
  /** How often time-based alert changes are checked (default 15 s). */
  evaluateEveryMs?: number;
  /** Where notifications go instead of the Notifier. */
  sender?: AlertSender;
}

/** The health history's reader and the alerts: rules, evaluator, alerts and silences. */
export function monitoringServices(deps: {
  /** The database, handed on to the repositories (the one place queries are made). */
  db: ConstructorParameters<typeof AlertsRepository>[0];
  hosts: EngineHosts;
  incidents: IncidentRecorder;
  logger: Logger;
  /** The Notifier; `options.sender` instead when given. */
  notifier: AlertSender;
  /** The notification channels there are, for the rules' channel ids. */
  channels: { list(): Promise<{ id: string }[]> };
  containers: { environmentTags(hostId: string): Promise<Map<string, string>> };
  updateChecker: { knownUpdates(): Promise<Map<string, Set<string>>> };
  metrics: AlertEvaluatorOptions['metrics'];
  hardware: HostHardware;
  backupSchedules: BackupSchedulesRepository;
  options?: MonitoringOptions;
}) {
  const repository = new AlertsRepository(deps.db);
  const alertRules = new AlertRulesService(
    new AlertRulesRepository(deps.db),
    deps.hosts,
    async () => new Set((await deps.channels.list()).map((c) => c.id)),
  );
  const alertEvaluator = new AlertEvaluator({
    hosts: deps.hosts,
    rules: alertRules,
    repository,
    incidents: deps.incidents,
    sender: deps.options?.sender ?? deps.notifier,
    logger: deps.logger,
    environments: (hostId) => deps.containers.environmentTags(hostId),
    updates: () => deps.updateChecker.knownUpdates(),
    metrics: deps.metrics,
    cpus: async (hostId) => {
      const host = deps.hosts.get(hostId);
      return host ? (await deps.hardware.profile(host)).cpus : 1;
    },
    backupFailures: async () =>
      (await deps.backupSchedules.all()).flatMap((s) =>
        s.lastError === null
          ? []
          : [{ hostId: s.hostId, volume: s.volume, error: s.lastError, at: s.lastRunAt }],
      ),
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
