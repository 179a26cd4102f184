import type { Logger } from '../../core/logger.js';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { RollbackLedger } from './rollback-ledger.js';
import { SecretsService } from './secrets-service.js';
import { ServiceLogsService } from './service-logs.js';
import { ServicesService } from './services-service.js';
import { SwarmEventsFeed } from './swarm-events.js';

/** Swarm services, their logs, secrets and configs, and the swarm part of the events stream. */
export function swarmServiceParts(hosts: EngineHosts, logger: Logger) {
  const ledger = new RollbackLedger();
  const swarmServices = new ServicesService(hosts, ledger);
  return {
    swarmServices,
    serviceLogs: new ServiceLogsService(hosts, swarmServices, logger),
    swarmSecrets: new SecretsService(hosts),
    swarmEvents: new SwarmEventsFeed(hosts, ledger, logger),
  };
}
