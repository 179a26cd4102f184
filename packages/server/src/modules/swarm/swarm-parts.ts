import type { Logger } from 'pino';
import type { EngineHosts } from '../../docker/engine-hosts.js';
import { NodesService } from './nodes-service.js';
import { SwarmMembership } from './swarm-membership.js';
import { SwarmService } from './swarm-service.js';

/** The swarm module's services: every host's membership (event-kept), the swarm and its nodes. */
export function swarmServices(hosts: EngineHosts, logger: Logger) {
  const swarmMembership = new SwarmMembership(hosts, logger);
  return {
    swarmMembership,
    swarm: new SwarmService(hosts, swarmMembership),
    nodes: new NodesService(hosts, swarmMembership),
  };
}
